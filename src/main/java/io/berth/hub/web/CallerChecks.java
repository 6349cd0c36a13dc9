package io.berth.hub.web;

import io.berth.common.error.ErrorKind;
import io.berth.hub.HubException;
import io.berth.hub.access.caller.Caller;

/**
 * Checks on who calls that every part of the REST API makes alike: signed in at all, and, for a caller that signed in
 * with a personal access token, whether the token's scopes allow the change. A read-only token may only look; no
 * token changes accounts, tokens, organisations or teams.
 */
public final class CallerChecks {

    private CallerChecks() {
    }

    public static void requireSignedIn(Caller caller) {
        if (caller.anonymous()) {
            throw new HubException(ErrorKind.UNAUTHORIZED, "sign in first");
        }
    }

    /** Changes other than deleting content need a token with the {@code write} scope. */
    public static void requireWriteScope(Caller caller) {
        if (!caller.credentialAllows("push")) {
            throw HubException.forbidden("this access token is read-only: changes need a token with the write scope");
        }
    }

    /** Deleting repositories and tags needs a token with the {@code delete} scope. */
    public static void requireDeleteScope(Caller caller) {
        if (!caller.credentialAllows("delete")) {
            throw HubException.forbidden("this access token cannot delete: that needs a token with the delete scope");
        }
    }

    /**
     * Account-level changes (the account itself, its tokens, organisations, teams and who is in them) take the
     * password or a signed-in browser, never a personal access token: a leaked token may do what its scopes say to
     * repositories, and nothing that would take over or lock out the account, or hand access to others.
     *
     * @param what what the caller tried, e.g. {@code "change an account"}
     */
    public static void requirePasswordOrSession(Caller caller, String what) {
        requireSignedIn(caller);
        if (caller.usesAccessToken()) {
            throw HubException.forbidden("an access token cannot " + what
                    + ": that takes the password or a signed-in browser");
        }
    }
}
