package io.berth.hub.web.account;

import java.util.List;

import org.springframework.stereotype.Service;

import io.berth.hub.HubException;
import io.berth.hub.HubProperties;
import io.berth.hub.access.SignIn;
import io.berth.hub.access.SignInException;
import io.berth.hub.access.account.AccountEntity;
import io.berth.hub.access.account.AccountService;
import io.berth.hub.access.account.Memberships;
import io.berth.hub.access.caller.Caller;
import io.berth.hub.audit.AuditAction;
import io.berth.hub.audit.AuditLog;
import io.berth.hub.web.CallerChecks;

/**
 * Users through the REST API: sign-up, the caller's own account, public profiles, changes and deletion. The account
 * rules themselves (names, passwords, who may change whom) are {@link AccountService}'s; this adds who may sign up,
 * that accounts change only with the password or a signed-in browser (never with an access token), that one's own
 * password changes only with the current one, and the audit trail. The account pages and the administrators' pages
 * create, change and delete users through it too, so that they are checked and audited alike.
 */
@Service
public class UserManagement {

    /** What the audit log names as the door of a check of the current password. */
    private static final String CURRENT_PASSWORD_DOOR = "password change";

    private final AccountService accounts;
    private final Memberships memberships;
    private final SignIn signIn;
    private final HubProperties hub;
    private final AuditLog audit;

    UserManagement(AccountService accounts, Memberships memberships, SignIn signIn, HubProperties hub, AuditLog audit) {
        this.accounts = accounts;
        this.memberships = memberships;
        this.signIn = signIn;
        this.hub = hub;
        this.audit = audit;
    }

    /** Anyone may sign up while sign-up is open; administrators create accounts, administrators too, at any time. */
    public Account signUp(Caller caller, String clientAddress, String username, String email, String password,
                   boolean administrator) {
        if (caller.administrator()) {
            // An administrator's leaked token must not mint administrators with passwords of its own choosing.
            CallerChecks.requirePasswordOrSession(caller, "create accounts");
        } else {
            if (!hub.signUpEnabled()) {
                throw HubException.forbidden("sign-up is closed on this Hub; an administrator creates accounts");
            }
            if (administrator) {
                throw HubException.forbidden("only administrators make administrators");
            }
        }
        AccountEntity account = accounts.createUser(username, email, password, administrator);
        // Someone signing themselves up is the actor of their own creation.
        audit.record(caller.anonymous() ? account.getUsername() : caller.username(), clientAddress,
                AuditAction.ACCOUNT_CREATED, "user:" + account.getUsername(), true,
                administrator ? "administrator" : null);
        return Account.of(account, List.of());
    }

    Account me(Caller caller) {
        CallerChecks.requireSignedIn(caller);
        return account(accounts.user(caller.username()));
    }

    Profile profile(Caller caller, String username) {
        AccountEntity account = accounts.user(username);
        boolean privileged = caller.administrator() || account.getId().equals(caller.accountId());
        return privileged ? Profile.full(account) : Profile.everyone(account);
    }

    /**
     * Changes an account's e-mail address, password or administrator rights. One's own password changes only with
     * the current one (checked as a sign-in: throttled, failures audited); an administrator sets another account's
     * without it. Either way the account's other sessions and password logins end.
     *
     * @param currentPassword the caller's current password; needed when {@code password} is the caller's own
     * @throws SignInException when the current password was tried too often lately (429 with Retry-After)
     */
    public Account update(Caller caller, String clientAddress, String username, String email, String password,
                          String currentPassword, Boolean administrator) {
        CallerChecks.requirePasswordOrSession(caller, "change an account");
        AccountEntity before = accounts.user(username);
        if (password != null && before.getId().equals(caller.accountId())) {
            requireCurrentPassword(caller, clientAddress, currentPassword);
        }
        boolean wasAdministrator = before.isAdministrator();
        AccountEntity account = accounts.updateUser(caller, username, email, password, administrator);
        if (account.isAdministrator() != wasAdministrator) {
            // Joining or leaving the administrators is the most far-reaching membership there is.
            audit.record(caller.username(), clientAddress, AuditAction.MEMBERSHIP_CHANGED, "user:" + username, true,
                    account.isAdministrator() ? "administrator granted" : "administrator revoked");
        }
        if (email != null) {
            audit.record(caller.username(), clientAddress, AuditAction.ACCOUNT_CHANGED, "user:" + username, true,
                    "e-mail changed");
        }
        if (password != null) {
            audit.record(caller.username(), clientAddress, AuditAction.ACCOUNT_CHANGED, "user:" + username, true,
                    (account.getId().equals(caller.accountId()) ? "password changed" : "password set by an administrator")
                            + "; other sessions and password logins ended");
        }
        return account(account);
    }

    private void requireCurrentPassword(Caller caller, String clientAddress, String currentPassword) {
        if (currentPassword == null || currentPassword.isEmpty()) {
            throw HubException.invalid("changing your password takes your current password");
        }
        Caller checked;
        try {
            checked = signIn.checkPassword(caller.username(), currentPassword, clientAddress, CURRENT_PASSWORD_DOOR);
        } catch (SignInException e) {
            if (e.throttled()) {
                throw e;
            }
            throw HubException.forbidden("the current password is not correct");
        }
        if (checked.usesAccessToken()) {
            throw HubException.forbidden("the current password is not correct"); // an access token is no password
        }
    }

    /**
     * Deletes the account; its repositories go with it (see {@code RepositoryRemoval}), and its name is never given
     * out again.
     */
    public void delete(Caller caller, String clientAddress, String username) {
        CallerChecks.requirePasswordOrSession(caller, "delete an account");
        accounts.deleteUser(caller, username);
        audit.record(caller.username(), clientAddress, AuditAction.ACCOUNT_DELETED, "user:" + username, true,
                "with its repositories, memberships, stars and tokens; the name is retired");
    }

    private Account account(AccountEntity account) {
        return Account.of(account, memberships.organisationsOf(account.getId()));
    }
}
