package io.berth.hub.access.token;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the scopes of a token request into the access a token carries. The spec makes this an intersection, never an
 * error: a client that asks for more than it may have gets what it may have, and a token for nothing at all is still
 * a token (the registry, not the token server, answers that it is not enough).
 */
public final class Grant {

    private Grant() {
    }

    /**
     * The granted access: one entry per requested resource, in the order first asked, with the requested actions the
     * policy allows. A resource with nothing allowed keeps its entry with an empty action list, as the spec writes
     * the intersection into the token. Scopes on one resource are merged, and a resource class is dropped: the spec
     * authorizes {@code repository(plugin)} exactly as {@code repository}.
     *
     * <p>An action is granted when the policy allows it or allows {@code *}. A requested {@code *} asks for
     * everything, as Distribution reads it: it is granted as {@code *} when the policy allows {@code *} itself, and
     * otherwise as each action the policy allows, named (in alphabetical order), so that a subject that may pull
     * and push gets {@code pull,push} and never a token that reads as "anything".
     */
    public static List<Access> intersect(Collection<Scope> requested, AccessPolicy policy) {
        Map<Resource, Set<String>> granted = new LinkedHashMap<>();
        Map<Resource, Set<String>> allowedCache = new LinkedHashMap<>();
        for (Scope scope : requested) {
            Resource resource = new Resource(scope.type(), scope.name());
            Set<String> allowed = allowedCache.computeIfAbsent(resource, r -> allowed(policy, r));
            Set<String> actions = granted.computeIfAbsent(resource, r -> new LinkedHashSet<>());
            for (String action : scope.actions()) {
                if (allowed.contains(action) || allowed.contains(Access.ANY_ACTION)) {
                    actions.add(action);
                } else if (Access.ANY_ACTION.equals(action)) {
                    allowed.stream().sorted().forEach(actions::add);
                }
            }
        }
        List<Access> access = new ArrayList<>(granted.size());
        granted.forEach((resource, actions) -> access.add(new Access(resource.type(), resource.name(), List.copyOf(actions))));
        return access;
    }

    private static Set<String> allowed(AccessPolicy policy, Resource resource) {
        Set<String> allowed = policy.allowedActions(resource.type(), resource.name());
        return allowed == null ? Set.of() : allowed;
    }

    private record Resource(String type, String name) {
    }
}
