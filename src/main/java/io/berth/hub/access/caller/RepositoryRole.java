package io.berth.hub.access.caller;

import java.util.Locale;
import java.util.Set;

/**
 * What someone may do with a repository, from nothing to everything. Each role includes the ones before it, and maps
 * to the actions of the token protocol: {@code pull}, then {@code push}, then {@code delete}.
 */
public enum RepositoryRole {

    /** Not even that it exists. */
    NONE(Set.of()),
    /** Pull. */
    READ(Set.of("pull")),
    /** Pull and push. */
    WRITE(Set.of("pull", "push")),
    /** Pull, push, delete, and change the repository's settings (visibility, description), or delete it. */
    ADMIN(Set.of("pull", "push", "delete"));

    private final Set<String> actions;

    RepositoryRole(Set<String> actions) {
        this.actions = actions;
    }

    /** The token protocol actions this role allows. */
    public Set<String> actions() {
        return actions;
    }

    public boolean includes(RepositoryRole other) {
        return compareTo(other) >= 0;
    }

    public static RepositoryRole max(RepositoryRole a, RepositoryRole b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** The name the API uses: {@code read}, {@code write}, {@code admin}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * A team permission as the API writes it.
     *
     * @throws IllegalArgumentException for anything but {@code read}, {@code write} or {@code admin}
     */
    public static RepositoryRole ofTeamPermission(String value) {
        if (value != null) {
            switch (value.toLowerCase(Locale.ROOT)) {
                case "read":
                    return READ;
                case "write":
                    return WRITE;
                case "admin":
                    return ADMIN;
                default:
                    break;
            }
        }
        throw new IllegalArgumentException("a team permission is read, write or admin, not " + value);
    }
}
