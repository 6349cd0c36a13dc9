package io.berth.hub.access;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

/**
 * The session a browser holds after signing in with a password, shared by the REST API ({@code POST /api/v1/login})
 * and the web UI's sign-in page. It holds the username only: who that is, and what they may do, is read afresh with
 * every request.
 */
final class BrowserSessions {

    private BrowserSessions() {
    }

    static void open(HttpServletRequest request, Caller caller) {
        HttpSession session = request.getSession(true);
        request.changeSessionId(); // no session fixation: whoever knew the id before sign-in does not share it
        session.setAttribute(ApiAuthenticationFilter.SESSION_USERNAME, caller.username());
    }

    static void close(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
    }
}
