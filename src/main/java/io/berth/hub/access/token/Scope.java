package io.berth.hub.access.token;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A resource scope as clients send it in a token request and as the registry names it in a challenge:
 * {@code type[(class)]:name:action[,action]*}, for instance {@code repository:library/busybox:pull,push},
 * {@code repository(plugin):vieux/sshfs:pull} or {@code registry:catalog:*}. The grammar is the Docker token
 * protocol's "Resource Scope Grammar".
 *
 * @param type          the resource type, such as {@code repository} or {@code registry}
 * @param resourceClass the class written in parentheses after the type, or null when there is none; the spec now
 *                      deprecates it and authorizes {@code repository(plugin)} exactly as {@code repository}, so it is
 *                      kept only to print a scope back as it came
 * @param name          the resource name; it may hold one {@code :}, the port of a registry host name
 * @param actions       the requested actions in the order given, without repeats, never empty
 */
public record Scope(String type, String resourceClass, String name, Set<String> actions) {

    private static final Pattern TYPE = Pattern.compile("[a-z0-9]+");
    private static final Pattern TYPE_WITH_CLASS = Pattern.compile("([a-z0-9]+)\\(([a-z0-9]+)\\)");
    private static final Pattern ACTION = Pattern.compile("[a-z*]+");
    private static final String HOST_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    private static final Pattern NAME = Pattern.compile(
            "(?:" + HOST_COMPONENT + "(?:\\." + HOST_COMPONENT + ")*(?::[0-9]+)?/)?"
                    + PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*");
    // A repository name is at most 255 characters (the reference grammar's limit); a scope is that plus a short
    // type and action list. Anything longer is refused before a pattern looks at it.
    private static final int MAX_NAME_LENGTH = 255;
    private static final int MAX_LENGTH = 512;

    public Scope {
        if (type == null || !TYPE.matcher(type).matches()) {
            throw malformed("resource type " + type);
        }
        if (resourceClass != null && !TYPE.matcher(resourceClass).matches()) {
            throw malformed("resource class " + resourceClass);
        }
        if (name == null || name.length() > MAX_NAME_LENGTH || !NAME.matcher(name).matches()) {
            throw malformed("resource name " + name);
        }
        if (actions == null || actions.isEmpty()) {
            throw malformed("no actions for " + type + ":" + name);
        }
        for (String action : actions) {
            if (action == null || !ACTION.matcher(action).matches()) {
                throw malformed("action " + action);
            }
        }
        actions = Collections.unmodifiableSet(new LinkedHashSet<>(actions));
    }

    /** A scope on a repository, as a challenge names it: {@code repository:<name>:<actions>}. */
    public static Scope repository(String name, String... actions) {
        return new Scope("repository", null, name, new LinkedHashSet<>(List.of(actions)));
    }

    /**
     * Parses one scope. The type ends at the first colon and the actions start after the last one: the name in
     * between may hold a colon of its own ({@code repository:localhost:5000/foo:pull}), which is why the spec warns
     * against splitting on the first two colons.
     *
     * @throws IllegalArgumentException for anything the grammar does not produce
     */
    public static Scope parse(String value) {
        if (value == null || value.length() > MAX_LENGTH) {
            throw malformed(value == null ? "null" : "scope longer than " + MAX_LENGTH + " characters");
        }
        int first = value.indexOf(':');
        int last = value.lastIndexOf(':');
        if (first < 0 || last == first) {
            throw malformed(value);
        }
        String typeAndClass = value.substring(0, first);
        String type = typeAndClass;
        String resourceClass = null;
        var withClass = TYPE_WITH_CLASS.matcher(typeAndClass);
        if (withClass.matches()) {
            type = withClass.group(1);
            resourceClass = withClass.group(2);
        }
        Set<String> actions = new LinkedHashSet<>();
        for (String action : value.substring(last + 1).split(",", -1)) {
            if (!ACTION.matcher(action).matches()) {
                throw malformed(value);
            }
            actions.add(action);
        }
        try {
            return new Scope(type, resourceClass, value.substring(first + 1, last), actions);
        } catch (IllegalArgumentException e) {
            throw malformed(value);
        }
    }

    /**
     * Parses the {@code scope} parameters of a token request. A client sends one parameter per scope, and one
     * parameter may also hold several scopes separated by spaces (the form a challenge and a POST use). Empty
     * parameters are allowed: the spec lets a client ask for a token with no scope.
     *
     * @throws IllegalArgumentException if any scope is malformed
     */
    public static List<Scope> parseAll(List<String> scopeParams) {
        List<Scope> scopes = new ArrayList<>();
        if (scopeParams == null) {
            return scopes;
        }
        for (String param : scopeParams) {
            if (param == null) {
                continue;
            }
            for (String scope : param.split(" ")) {
                if (!scope.isEmpty()) {
                    scopes.add(parse(scope));
                }
            }
        }
        return scopes;
    }

    /** The wire form, {@code type[(class)]:name:action,action}. */
    @Override
    public String toString() {
        String prefix = resourceClass == null ? type : type + "(" + resourceClass + ")";
        return prefix + ":" + name + ":" + String.join(",", actions);
    }

    private static IllegalArgumentException malformed(String what) {
        return new IllegalArgumentException("malformed scope: " + what);
    }
}
