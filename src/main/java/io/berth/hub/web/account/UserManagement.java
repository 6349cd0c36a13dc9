package io.berth.hub.web.account;

import java.util.List;

import org.springframework.stereotype.Service;

import io.berth.hub.HubProperties;
import io.berth.hub.access.Caller;
import io.berth.hub.access.HubException;
import io.berth.hub.access.account.AccountEntity;
import io.berth.hub.access.account.AccountService;
import io.berth.hub.access.account.Memberships;
import io.berth.hub.audit.AuditAction;
import io.berth.hub.audit.AuditLog;
import io.berth.hub.web.CallerChecks;

/**
 * Users through the REST API: sign-up, the caller's own account, public profiles, changes and deletion. The account
 * rules themselves (names, passwords, who may change whom) are {@link AccountService}'s; this adds who may sign up,
 * what a token may change, and the audit trail. The administrators' pages create, promote and delete users through it
 * too, so that they are audited alike.
 */
@Service
public class UserManagement {

    private final AccountService accounts;
    private final Memberships memberships;
    private final HubProperties hub;
    private final AuditLog audit;

    UserManagement(AccountService accounts, Memberships memberships, HubProperties hub, AuditLog audit) {
        this.accounts = accounts;
        this.memberships = memberships;
        this.hub = hub;
        this.audit = audit;
    }

    /** Anyone may sign up while sign-up is open; administrators create accounts, administrators too, at any time. */
    public Account signUp(Caller caller, String clientAddress, String username, String email, String password,
                   boolean administrator) {
        if (caller.administrator()) {
            CallerChecks.requireWriteScope(caller);
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

    public Account update(Caller caller, String clientAddress, String username, String email, String password,
                   Boolean administrator) {
        CallerChecks.requireSignedIn(caller);
        CallerChecks.requireWriteScope(caller);
        if (password != null || administrator != null) {
            CallerChecks.requirePassword(caller);
        }
        boolean wasAdministrator = accounts.user(username).isAdministrator();
        AccountEntity account = accounts.updateUser(caller, username, email, password, administrator);
        if (account.isAdministrator() != wasAdministrator) {
            // Joining or leaving the administrators is the most far-reaching membership there is.
            audit.record(caller.username(), clientAddress, AuditAction.MEMBERSHIP_CHANGED, "user:" + username, true,
                    account.isAdministrator() ? "administrator granted" : "administrator revoked");
        }
        if (password != null || email != null) {
            audit.record(caller.username(), clientAddress, AuditAction.ACCOUNT_CHANGED, "user:" + username, true,
                    password != null ? (email != null ? "password and e-mail changed" : "password changed") : "e-mail changed");
        }
        return account(account);
    }

    /** Deletes the account; its repositories go with it (see {@code RepositoryRemoval}). */
    public void delete(Caller caller, String clientAddress, String username) {
        CallerChecks.requireSignedIn(caller);
        CallerChecks.requireDeleteScope(caller);
        accounts.deleteUser(caller, username);
        audit.record(caller.username(), clientAddress, AuditAction.ACCOUNT_DELETED, "user:" + username, true,
                "with its repositories");
    }

    private Account account(AccountEntity account) {
        return Account.of(account, memberships.organisationsOf(account.getId()));
    }
}
