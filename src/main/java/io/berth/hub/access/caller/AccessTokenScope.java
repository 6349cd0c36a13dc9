package io.berth.hub.access.caller;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a personal access token may be used for: {@code read} pulls, {@code write} pushes (and pulls), {@code delete}
 * deletes (and pulls). A token never allows more than its account may do.
 */
public enum AccessTokenScope {

    READ(Set.of("pull")),
    WRITE(Set.of("pull", "push")),
    DELETE(Set.of("pull", "delete"));

    private final Set<String> actions;

    AccessTokenScope(Set<String> actions) {
        this.actions = actions;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException for anything but {@code read}, {@code write} or {@code delete} */
    public static AccessTokenScope of(String value) {
        for (AccessTokenScope scope : values()) {
            if (scope.wireName().equalsIgnoreCase(value)) {
                return scope;
            }
        }
        throw new IllegalArgumentException("a token scope is read, write or delete, not " + value);
    }

    /** The token protocol actions the scopes allow together. */
    public static Set<String> actions(Collection<AccessTokenScope> scopes) {
        Set<String> actions = new LinkedHashSet<>();
        scopes.forEach(scope -> actions.addAll(scope.actions));
        return actions;
    }

    /** {@code read,write}: the stored form, sorted so that equal sets are stored alike. */
    public static String join(Collection<AccessTokenScope> scopes) {
        Set<String> names = new TreeSet<>();
        scopes.forEach(scope -> names.add(scope.wireName()));
        return String.join(",", names);
    }

    public static Set<AccessTokenScope> split(String stored) {
        Set<AccessTokenScope> scopes = new LinkedHashSet<>();
        for (String name : stored.split(",")) {
            if (!name.isBlank()) {
                scopes.add(of(name.trim()));
            }
        }
        return scopes;
    }
}
