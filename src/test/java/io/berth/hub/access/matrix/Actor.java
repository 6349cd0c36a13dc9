package io.berth.hub.access.matrix;

import io.berth.hub.access.caller.RepositoryRole;
import io.berth.hub.metadata.Visibility;

/**
 * Who asks, in the access matrix, with the role each has in the organisation that holds the repositories under test.
 * The administrator is deliberately not a member of the organisation: its row tests the administrator's privilege,
 * not ownership.
 */
public enum Actor {

    ANONYMOUS("anonymous", RepositoryRole.NONE, false),
    OWNER("owner", RepositoryRole.ADMIN, true),
    READER("reader", RepositoryRole.READ, true),
    WRITER("writer", RepositoryRole.WRITE, true),
    OUTSIDER("outsider", RepositoryRole.NONE, true),
    ADMINISTRATOR("administrator", RepositoryRole.ADMIN, true);

    private final String label;
    private final RepositoryRole roleInOrganisation;
    private final boolean signedIn;

    Actor(String label, RepositoryRole roleInOrganisation, boolean signedIn) {
        this.label = label;
        this.roleInOrganisation = roleInOrganisation;
        this.signedIn = signedIn;
    }

    /**
     * The permission model as the issue states it, written out here rather than asked of the server: a member has
     * its role on every repository of the organisation, and everyone (anonymous included) reads a public one.
     */
    public RepositoryRole roleOn(Visibility visibility) {
        return visibility == Visibility.PUBLIC
                ? RepositoryRole.max(roleInOrganisation, RepositoryRole.READ)
                : roleInOrganisation;
    }

    public boolean signedIn() {
        return signedIn;
    }

    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }
}
