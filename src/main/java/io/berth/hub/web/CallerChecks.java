package io.berth.hub.web;

import io.berth.hub.access.Caller;
import io.berth.hub.access.HubException;

/**
 * Checks on who calls that every part of the REST API makes alike: signed in at all, and, for a caller that signed in
 * with a personal access token, whether the token's scopes allow the change. A read-only token may only look.
 */
public final class CallerChecks {

    private CallerChecks() {
    }

    public static void requireSignedIn(Caller caller) {
        if (caller.anonymous()) {
            throw new HubException(HubException.Reason.UNAUTHORIZED, "sign in first");
        }
    }

    /** Changes other than deleting content need a token with the {@code write} scope. */
    public static void requireWriteScope(Caller caller) {
        if (!caller.credentialAllows("push")) {
            throw HubException.forbidden("this access token is read-only: changes need a token with the write scope");
        }
    }

    /** Deleting repositories, tags, accounts and organisations needs a token with the {@code delete} scope. */
    public static void requireDeleteScope(Caller caller) {
        if (!caller.credentialAllows("delete")) {
            throw HubException.forbidden("this access token cannot delete: that needs a token with the delete scope");
        }
    }

    /** Passwords and administrator rights change only with the password: a leaked token must not take the account. */
    public static void requirePassword(Caller caller) {
        if (caller.credentialId() != null) {
            throw HubException.forbidden(
                    "access tokens cannot change passwords or administrators; sign in with the password");
        }
    }
}
