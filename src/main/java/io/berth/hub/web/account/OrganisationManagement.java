package io.berth.hub.web.account;

import java.util.List;

import org.springframework.stereotype.Service;

import io.berth.hub.HubException;
import io.berth.hub.access.account.AccountService;
import io.berth.hub.access.account.Memberships;
import io.berth.hub.access.account.OrganisationEntity;
import io.berth.hub.access.caller.Caller;
import io.berth.hub.audit.AuditAction;
import io.berth.hub.audit.AuditLog;
import io.berth.hub.web.CallerChecks;

/**
 * Organisations and their owners through the REST API. Who may change an organisation is {@link AccountService}'s
 * decision (its owners and administrators); this adds who may see its owners, that creating and deleting one and
 * changing its owners take the password or a signed-in browser (a token may change its description), and the audit
 * trail.
 */
@Service
class OrganisationManagement {

    /** The column's size (V2__accounts.sql). */
    static final int MAX_DESCRIPTION_LENGTH = 1000;

    private final AccountService accounts;
    private final Memberships memberships;
    private final AuditLog audit;

    OrganisationManagement(AccountService accounts, Memberships memberships, AuditLog audit) {
        this.accounts = accounts;
        this.memberships = memberships;
        this.audit = audit;
    }

    /** Creates an organisation owned by its creator. */
    Organisation create(Caller caller, String clientAddress, String name, String description) {
        CallerChecks.requirePasswordOrSession(caller, "create organisations");
        OrganisationEntity organisation = accounts.createOrganisation(caller, name, requireDescription(description));
        audit.record(caller.username(), clientAddress, AuditAction.ORGANISATION_CREATED, target(name), true, null);
        return Organisation.of(organisation);
    }

    List<Organisation> list() {
        return accounts.organisations().stream().map(Organisation::of).toList();
    }

    Organisation get(String name) {
        return Organisation.of(accounts.organisation(name));
    }

    Organisation update(Caller caller, String name, String description) {
        CallerChecks.requireSignedIn(caller);
        CallerChecks.requireWriteScope(caller);
        return Organisation.of(accounts.updateOrganisation(caller, name, requireDescription(description)));
    }

    /** Deletes the organisation, its teams and its repositories (see {@code RepositoryRemoval}). */
    void delete(Caller caller, String clientAddress, String name) {
        CallerChecks.requirePasswordOrSession(caller, "delete organisations");
        accounts.deleteOrganisation(caller, name);
        audit.record(caller.username(), clientAddress, AuditAction.ORGANISATION_DELETED, target(name), true,
                "with its teams and repositories");
    }

    /** Who owns the organisation: for its members and administrators to see. */
    List<String> owners(Caller caller, String name) {
        OrganisationEntity organisation = requireMember(caller, name);
        return memberships.owners(organisation.getId());
    }

    void addOwner(Caller caller, String clientAddress, String name, String username) {
        CallerChecks.requirePasswordOrSession(caller, "change who owns an organisation");
        if (accounts.addOwner(caller, name, username)) {
            audit.record(caller.username(), clientAddress, AuditAction.MEMBERSHIP_CHANGED, target(name), true,
                    "owner added: " + username);
        }
    }

    void removeOwner(Caller caller, String clientAddress, String name, String username) {
        CallerChecks.requirePasswordOrSession(caller, "change who owns an organisation");
        accounts.removeOwner(caller, name, username);
        audit.record(caller.username(), clientAddress, AuditAction.MEMBERSHIP_CHANGED, target(name), true,
                "owner removed: " + username);
    }

    /**
     * The organisation, when the caller belongs to it (owner or on a team) or is an administrator. Its name is
     * public, but who is in it is for those inside.
     */
    OrganisationEntity requireMember(Caller caller, String name) {
        CallerChecks.requireSignedIn(caller);
        OrganisationEntity organisation = accounts.organisation(name);
        if (!belongsTo(caller, organisation)) {
            throw HubException.forbidden("only members of " + name + " may see that");
        }
        return organisation;
    }

    /** Whether the caller sees the organisation's teams and owners ({@link #requireMember} would let it). */
    boolean belongsTo(Caller caller, String name) {
        return belongsTo(caller, accounts.organisation(name));
    }

    /** Whether the caller may change the organisation, its teams and owners: its owners and administrators. */
    boolean mayManage(Caller caller, String name) {
        OrganisationEntity organisation = accounts.organisation(name);
        return !caller.anonymous()
                && (caller.administrator() || memberships.isOwner(organisation.getId(), caller.accountId()));
    }

    private boolean belongsTo(Caller caller, OrganisationEntity organisation) {
        return !caller.anonymous()
                && (caller.administrator() || memberships.belongsTo(organisation.getId(), caller.accountId()));
    }

    static String requireDescription(String description) {
        if (description != null && description.length() > MAX_DESCRIPTION_LENGTH) {
            throw HubException.invalid("a description has at most " + MAX_DESCRIPTION_LENGTH + " characters");
        }
        return description;
    }

    private static String target(String name) {
        return "org:" + name;
    }
}
