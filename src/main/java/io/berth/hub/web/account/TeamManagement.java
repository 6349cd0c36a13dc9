package io.berth.hub.web.account;

import java.util.List;

import org.springframework.stereotype.Service;

import io.berth.hub.HubException;
import io.berth.hub.access.account.AccountService;
import io.berth.hub.access.account.Memberships;
import io.berth.hub.access.account.TeamEntity;
import io.berth.hub.access.caller.Caller;
import io.berth.hub.access.caller.RepositoryRole;
import io.berth.hub.audit.AuditAction;
import io.berth.hub.audit.AuditLog;
import io.berth.hub.web.CallerChecks;

/**
 * Teams and their members through the REST API. Owners and administrators change them ({@link AccountService}
 * decides), with the password or a signed-in browser: who may do what is no business of an access token. Members of
 * the organisation see them; every change of a permission or a membership is audited.
 */
@Service
class TeamManagement {

    private final AccountService accounts;
    private final Memberships memberships;
    private final OrganisationManagement organisations;
    private final AuditLog audit;

    TeamManagement(AccountService accounts, Memberships memberships, OrganisationManagement organisations,
                   AuditLog audit) {
        this.accounts = accounts;
        this.memberships = memberships;
        this.organisations = organisations;
        this.audit = audit;
    }

    List<Team> list(Caller caller, String organisation) {
        organisations.requireMember(caller, organisation);
        return accounts.teams(organisation).stream().map(this::team).toList();
    }

    Team get(Caller caller, String organisation, String team) {
        organisations.requireMember(caller, organisation);
        return team(accounts.team(organisation, team));
    }

    Team create(Caller caller, String clientAddress, String organisation, String name, String description,
                String permission) {
        CallerChecks.requirePasswordOrSession(caller, "change teams or their members");
        if (permission == null) {
            throw HubException.invalid("a team needs a permission: read, write or admin");
        }
        TeamEntity team = accounts.createTeam(caller, organisation, name,
                OrganisationManagement.requireDescription(description), permission(permission));
        audit.record(caller.username(), clientAddress, AuditAction.TEAM_CHANGED, target(organisation, name), true,
                "created with permission " + team.getPermission().wireName());
        return team(team);
    }

    Team update(Caller caller, String clientAddress, String organisation, String name, String description,
                String permission) {
        CallerChecks.requirePasswordOrSession(caller, "change teams or their members");
        RepositoryRole newPermission = permission == null ? null : permission(permission);
        RepositoryRole before = accounts.team(organisation, name).getPermission();
        TeamEntity team = accounts.updateTeam(caller, organisation, name,
                OrganisationManagement.requireDescription(description), newPermission);
        if (team.getPermission() != before) {
            audit.record(caller.username(), clientAddress, AuditAction.TEAM_CHANGED, target(organisation, name), true,
                    "permission " + before.wireName() + " -> " + team.getPermission().wireName());
        }
        return team(team);
    }

    void delete(Caller caller, String clientAddress, String organisation, String name) {
        CallerChecks.requirePasswordOrSession(caller, "change teams or their members");
        accounts.deleteTeam(caller, organisation, name);
        audit.record(caller.username(), clientAddress, AuditAction.TEAM_CHANGED, target(organisation, name), true,
                "deleted");
    }

    void addMember(Caller caller, String clientAddress, String organisation, String name, String username) {
        CallerChecks.requirePasswordOrSession(caller, "change teams or their members");
        if (accounts.addMember(caller, organisation, name, username)) {
            audit.record(caller.username(), clientAddress, AuditAction.MEMBERSHIP_CHANGED, target(organisation, name),
                    true, "member added: " + username);
        }
    }

    void removeMember(Caller caller, String clientAddress, String organisation, String name, String username) {
        CallerChecks.requirePasswordOrSession(caller, "change teams or their members");
        accounts.removeMember(caller, organisation, name, username);
        audit.record(caller.username(), clientAddress, AuditAction.MEMBERSHIP_CHANGED, target(organisation, name), true,
                "member removed: " + username);
    }

    private Team team(TeamEntity team) {
        return Team.of(team, memberships.members(team.getId()));
    }

    private static RepositoryRole permission(String value) {
        try {
            return RepositoryRole.ofTeamPermission(value);
        } catch (IllegalArgumentException e) {
            throw HubException.invalid(e.getMessage());
        }
    }

    private static String target(String organisation, String team) {
        return "team:" + organisation + "/" + team;
    }
}
