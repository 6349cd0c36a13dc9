package io.berth.hub.access;

import java.util.Optional;

import org.springframework.stereotype.Service;

import io.berth.hub.access.account.Authenticator;
import io.berth.hub.access.caller.Caller;
import io.berth.hub.access.throttle.LoginThrottle;
import io.berth.hub.audit.AuditAction;
import io.berth.hub.audit.AuditLog;

/**
 * Every sign-in with a secret goes through here, whatever the door (the token endpoint's basic credentials and
 * OAuth2 grants, the REST API's login and basic authentication): password failures are throttled (see
 * {@link LoginThrottle} for how, without letting a stranger lock an owner out), tokens are not, and successes and
 * failures go to the audit log.
 */
@Service
public class SignIn {

    private final Authenticator authenticator;
    private final LoginThrottle throttle;
    private final AuditLog audit;

    SignIn(Authenticator authenticator, LoginThrottle throttle, AuditLog audit) {
        this.authenticator = authenticator;
        this.throttle = throttle;
        this.audit = audit;
    }

    /**
     * Signs in with a username and its password or one of its personal access tokens.
     *
     * @throws SignInException when the credentials are wrong or the account or address is throttled
     */
    public Caller withPassword(String username, String secret, String clientAddress, String door) {
        return password(username, secret, clientAddress, door, true);
    }

    /**
     * Checks the credentials an API request carries with it, as {@link #withPassword} does, except that a success is
     * not a sign-in worth an audit event: a script sends them with every request.
     */
    public Caller checkPassword(String username, String secret, String clientAddress, String door) {
        return password(username, secret, clientAddress, door, false);
    }

    private Caller password(String username, String secret, String clientAddress, String door, boolean auditSuccess) {
        String name = username == null ? null : username.strip();
        if (Authenticator.isAccessToken(secret)) {
            // A token is no password guess (nobody guesses 256 random bits): a valid one signs in whatever the
            // throttle holds against the account or the address, which is how CI keeps working while someone
            // guesses the account's password. A wrong one counts against the address only.
            return settleToken(name, clientAddress, door, authenticator.authenticate(name, secret), auditSuccess,
                    "access token");
        }
        refuseIfThrottled(name, clientAddress, door);
        Optional<Caller> caller = authenticator.authenticate(name, secret);
        return settle(name, clientAddress, door, caller, auditSuccess);
    }

    /**
     * Signs in with a refresh token from an earlier sign-in; like a personal access token, it is not throttled.
     *
     * @throws SignInException when the token is unknown, revoked or expired
     */
    public Caller withRefreshToken(String refreshToken, String clientAddress, String door) {
        return settleToken(null, clientAddress, door, authenticator.authenticateRefreshToken(refreshToken), true,
                "refresh token");
    }

    /**
     * Checks a personal access token sent alone, as a REST API bearer token; like {@link #checkPassword}, a success is
     * not audited, and like any token it is not throttled.
     *
     * @throws SignInException when the token is unknown, revoked or expired
     */
    public Caller checkAccessToken(String accessToken, String clientAddress, String door) {
        return settleToken(null, clientAddress, door, authenticator.authenticateToken(accessToken), false,
                "access token");
    }

    private void refuseIfThrottled(String username, String clientAddress, String door) {
        throttle.blocked(username, clientAddress).ifPresent(wait -> {
            audit.record(username, clientAddress, AuditAction.THROTTLED, door, false, "retry after " + wait.toSeconds() + "s");
            throw SignInException.throttled(wait);
        });
    }

    /** @param kind what the token is, as the audit log says: {@code access token} or {@code refresh token} */
    private Caller settleToken(String username, String clientAddress, String door, Optional<Caller> caller,
                               boolean auditSuccess, String kind) {
        if (caller.isEmpty()) {
            throttle.failed(null, clientAddress);
            audit.record(username, clientAddress, AuditAction.LOGIN_FAILED, door, false, "invalid " + kind);
            throw SignInException.invalidCredentials();
        }
        Caller signedIn = caller.get();
        if (auditSuccess) {
            audit.record(signedIn.username(), clientAddress, AuditAction.LOGIN, door, true,
                    signedIn.credentialId() == null ? kind
                            : kind.equals("access token") ? "access token " + signedIn.credentialId()
                            : kind + " of access token " + signedIn.credentialId());
        }
        return signedIn;
    }

    private Caller settle(String username, String clientAddress, String door, Optional<Caller> caller, boolean auditSuccess) {
        if (caller.isEmpty()) {
            throttle.failed(username, clientAddress);
            audit.record(username, clientAddress, AuditAction.LOGIN_FAILED, door, false, null);
            throw SignInException.invalidCredentials();
        }
        Caller signedIn = caller.get();
        throttle.succeeded(signedIn.username(), clientAddress);
        if (!auditSuccess) {
            return signedIn;
        }
        audit.record(signedIn.username(), clientAddress, AuditAction.LOGIN, door, true,
                signedIn.credentialId() == null ? "password" : "access token " + signedIn.credentialId());
        return signedIn;
    }
}
