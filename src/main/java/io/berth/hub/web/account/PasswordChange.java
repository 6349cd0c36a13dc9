package io.berth.hub.web.account;

import org.springframework.stereotype.Service;

import io.berth.hub.access.Caller;
import io.berth.hub.access.HubException;
import io.berth.hub.access.SignIn;
import io.berth.hub.access.SignInException;
import io.berth.hub.web.CallerChecks;

/**
 * A password changed from the account page. The page asks for the current password first, so that a browser left
 * signed in does not hand the account over; that check is a sign-in like any other (throttled, failures audited).
 */
@Service
class PasswordChange {

    private static final String DOOR = "/account";

    private final SignIn signIn;
    private final UserManagement users;

    PasswordChange(SignIn signIn, UserManagement users) {
        this.signIn = signIn;
        this.users = users;
    }

    void change(Caller caller, String clientAddress, String currentPassword, String newPassword) {
        CallerChecks.requireSignedIn(caller);
        try {
            Caller checked = signIn.checkPassword(caller.username(), currentPassword, clientAddress, DOOR);
            if (checked.credentialId() != null) {
                throw HubException.forbidden("the current password is not correct"); // an access token is no password
            }
        } catch (SignInException e) {
            throw HubException.forbidden(e.throttled() ? e.getMessage() : "the current password is not correct");
        }
        users.update(caller, clientAddress, caller.username(), null, newPassword, null);
    }
}
