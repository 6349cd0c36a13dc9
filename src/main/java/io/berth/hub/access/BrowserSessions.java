package io.berth.hub.access;

import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

import io.berth.hub.access.account.Authenticator;
import io.berth.hub.access.caller.Caller;

/**
 * The session a browser holds after signing in with a password, shared by the REST API ({@code POST /api/v1/login})
 * and the web UI's sign-in page. It holds the account's id and the credentials version its password was checked
 * under, nothing else: who that is, and what they may do, is read afresh with every request. An id is never given to
 * another account, so a session cannot pass to someone who takes a name later; and a password change moves the
 * version on, which ends every session opened before it.
 */
final class BrowserSessions {

    private static final String ACCOUNT = BrowserSessions.class.getName() + ".account";
    private static final String CREDENTIALS_VERSION = BrowserSessions.class.getName() + ".credentialsVersion";

    private BrowserSessions() {
    }

    static void open(HttpServletRequest request, Caller caller) {
        HttpSession session = request.getSession(true);
        request.changeSessionId(); // no session fixation: whoever knew the id before sign-in does not share it
        stamp(session, caller.accountId(), caller.credentialsVersion());
    }

    /**
     * The caller of the request's session: anonymous when there is none, or when its account is gone or changed its
     * password since (the session is then invalidated).
     */
    static Caller caller(HttpServletRequest request, Authenticator authenticator) {
        HttpSession session = request.getSession(false);
        if (session == null) {
            return Caller.ANONYMOUS;
        }
        Optional<Caller> caller = Optional.empty();
        if (session.getAttribute(ACCOUNT) instanceof Long account
                && session.getAttribute(CREDENTIALS_VERSION) instanceof Integer version) {
            caller = authenticator.sessionCaller(account, version);
        } else if (session.getAttribute(ACCOUNT) == null) {
            return Caller.ANONYMOUS; // a session that never signed in (a form's CSRF token lives in one)
        }
        if (caller.isEmpty()) {
            session.invalidate();
            return Caller.ANONYMOUS;
        }
        return caller.get();
    }

    /**
     * Keeps the request's session signed in after its own account changed the password, under a new id: the other
     * sessions of the account end, this one goes on.
     */
    static void renew(HttpServletRequest request, long accountId, int credentialsVersion) {
        HttpSession session = request.getSession(false);
        if (session != null && session.getAttribute(ACCOUNT) instanceof Long account && account == accountId) {
            request.changeSessionId();
            stamp(session, accountId, credentialsVersion);
        }
    }

    static void close(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
    }

    private static void stamp(HttpSession session, long accountId, int credentialsVersion) {
        session.setAttribute(ACCOUNT, accountId);
        session.setAttribute(CREDENTIALS_VERSION, credentialsVersion);
    }
}
