package io.berth.hub.access;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.stereotype.Component;

import io.berth.hub.access.account.Authenticator;
import io.berth.hub.access.caller.Caller;

/**
 * Signs a browser in with a password and opens its session, for pages outside this package (the sign-up page signs
 * the account it just created in), and keeps it signed in across its own password change. The sign-in goes through
 * {@link SignIn}, so the throttle and the audit log are the same as for every other door.
 */
@Component
public class BrowserSignIn {

    private final SignIn signIn;
    private final Authenticator authenticator;

    BrowserSignIn(SignIn signIn, Authenticator authenticator) {
        this.signIn = signIn;
        this.authenticator = authenticator;
    }

    /**
     * @param door the page signing in, as the audit log names it
     * @throws SignInException when the password is wrong (an access token is no password here) or the sign-in is
     *                         throttled
     */
    public Caller withPassword(HttpServletRequest request, String username, String password, String door) {
        Caller caller = signIn.withPassword(username, password, request.getRemoteAddr(), door);
        if (caller.credentialId() != null) {
            throw SignInException.invalidCredentials(); // a session opened by a token would outlive its revocation
        }
        BrowserSessions.open(request, caller);
        return caller;
    }

    /**
     * Keeps the request's browser session signed in after its account changed its own password (which ends the
     * account's other sessions); a request without such a session is left as it is.
     */
    public void keepSignedInAfterPasswordChange(HttpServletRequest request, Caller caller) {
        if (!caller.anonymous()) {
            authenticator.currentCaller(caller.accountId())
                    .ifPresent(current -> BrowserSessions.renew(request, current.accountId(), current.credentialsVersion()));
        }
    }
}
