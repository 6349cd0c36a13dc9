package io.berth.hub.access.caller;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Who is asking, with everything a permission decision needs: the account, whether it administers the Hub, its role in
 * each namespace it belongs to, and, when it signed in with a personal access token, the actions that token allows.
 *
 * @param accountId      the account's id, null for an anonymous caller
 * @param username       the account's name, null for an anonymous caller
 * @param administrator  whether the account administers the whole Hub
 * @param namespaceRoles the caller's role in each namespace it has one in: its own (admin), organisations it owns
 *                       (admin), and those whose teams it is on (the best of their permissions)
 * @param tokenActions   the actions the credential allows, or null when it is the account's password (no limit)
 * @param credentialId   the personal access token the caller signed in with, or null
 * @param credentialsVersion the account's credentials version when its credentials were checked: what a session or a
 *                       refresh token opened now is bound to, so that a password changed meanwhile ends it
 */
public record Caller(Long accountId, String username, boolean administrator, Map<String, RepositoryRole> namespaceRoles,
                     Set<String> tokenActions, Long credentialId, int credentialsVersion) {

    public static final Caller ANONYMOUS = new Caller(null, null, false, Map.of(), null, null, 0);

    public Caller {
        namespaceRoles = Map.copyOf(namespaceRoles);
        tokenActions = tokenActions == null ? null : Set.copyOf(tokenActions);
    }

    public boolean anonymous() {
        return accountId == null;
    }

    /** The role the caller has in a namespace by membership, whatever the visibility of its repositories. */
    public RepositoryRole roleIn(String namespace) {
        if (administrator) {
            return RepositoryRole.ADMIN;
        }
        return namespaceRoles.getOrDefault(namespace, RepositoryRole.NONE);
    }

    /** The actions the credential allows among these. */
    public Set<String> limit(Set<String> actions) {
        if (tokenActions == null) {
            return actions;
        }
        Set<String> allowed = new LinkedHashSet<>(actions);
        allowed.retainAll(tokenActions);
        return allowed;
    }

    /** Whether the caller signed in with a personal access token (or a login made with one), not the password. */
    public boolean usesAccessToken() {
        return credentialId != null;
    }

    /** Whether the credential allows an action at all (a read-only token cannot change settings through the API). */
    public boolean credentialAllows(String action) {
        return tokenActions == null || tokenActions.contains(action);
    }

    /** The same caller, limited to these actions by the access token it signed in with (credentialId). */
    public Caller withTokenActions(Set<String> actions, Long credentialId) {
        return new Caller(accountId, username, administrator, namespaceRoles, actions, credentialId, credentialsVersion);
    }
}
