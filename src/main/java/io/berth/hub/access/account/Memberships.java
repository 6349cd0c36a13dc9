package io.berth.hub.access.account;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import io.berth.hub.access.caller.RepositoryRole;

/** Who owns which organisation and who is on which team: two join tables, read and written with plain SQL. */
@Component
public class Memberships {

    private final JdbcTemplate jdbc;

    Memberships(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The account's role in every namespace it has one in: its own, the organisations it owns, and those whose teams
     * it is on, where the best permission of its teams counts.
     */
    public Map<String, RepositoryRole> namespaceRoles(long accountId, String username) {
        Map<String, RepositoryRole> roles = new HashMap<>();
        jdbc.query("SELECT t.permission, o.name FROM team t JOIN team_member m ON m.team_id = t.id"
                        + " JOIN organisation o ON o.id = t.organisation_id WHERE m.account_id = ?",
                row -> {
                    roles.merge(row.getString(2), RepositoryRole.valueOf(row.getString(1)), RepositoryRole::max);
                }, accountId);
        jdbc.query("SELECT o.name FROM organisation o JOIN organisation_owner w ON w.organisation_id = o.id"
                + " WHERE w.account_id = ?", row -> {
                    roles.put(row.getString(1), RepositoryRole.ADMIN);
                }, accountId);
        roles.put(username, RepositoryRole.ADMIN);
        return roles;
    }

    public boolean isOwner(long organisationId, long accountId) {
        return count("SELECT COUNT(*) FROM organisation_owner WHERE organisation_id = ? AND account_id = ?",
                organisationId, accountId) > 0;
    }

    public List<String> owners(long organisationId) {
        return jdbc.queryForList("SELECT a.username FROM account a JOIN organisation_owner w ON w.account_id = a.id"
                + " WHERE w.organisation_id = ? ORDER BY a.username", String.class, organisationId);
    }

    /**
     * @return false when the account already owned it. The insert skips an existing row rather than failing on it: a
     *         failed statement would abort the whole transaction on PostgreSQL.
     */
    boolean addOwner(long organisationId, long accountId) {
        return jdbc.update("INSERT INTO organisation_owner (organisation_id, account_id) SELECT CAST(? AS BIGINT), CAST(? AS BIGINT) FROM (VALUES (0)) AS one (x)"
                + " WHERE NOT EXISTS (SELECT 1 FROM organisation_owner WHERE organisation_id = ? AND account_id = ?)",
                organisationId, accountId, organisationId, accountId) == 1;
    }

    boolean removeOwner(long organisationId, long accountId) {
        return jdbc.update("DELETE FROM organisation_owner WHERE organisation_id = ? AND account_id = ?",
                organisationId, accountId) == 1;
    }

    int ownerCount(long organisationId) {
        return count("SELECT COUNT(*) FROM organisation_owner WHERE organisation_id = ?", organisationId);
    }

    public boolean isMember(long teamId, long accountId) {
        return count("SELECT COUNT(*) FROM team_member WHERE team_id = ? AND account_id = ?", teamId, accountId) > 0;
    }

    public List<String> members(long teamId) {
        return jdbc.queryForList("SELECT a.username FROM account a JOIN team_member m ON m.account_id = a.id"
                + " WHERE m.team_id = ? ORDER BY a.username", String.class, teamId);
    }

    /** Whether the account belongs to the organisation at all: as an owner or on one of its teams. */
    public boolean belongsTo(long organisationId, long accountId) {
        return isOwner(organisationId, accountId) || count("SELECT COUNT(*) FROM team_member m JOIN team t ON t.id = m.team_id"
                + " WHERE t.organisation_id = ? AND m.account_id = ?", organisationId, accountId) > 0;
    }

    /** Names of the organisations the account owns or is on a team of. */
    public List<String> organisationsOf(long accountId) {
        return jdbc.queryForList("SELECT o.name FROM organisation o WHERE o.id IN ("
                + "SELECT organisation_id FROM organisation_owner WHERE account_id = ?"
                + " UNION SELECT t.organisation_id FROM team t JOIN team_member m ON m.team_id = t.id WHERE m.account_id = ?)"
                + " ORDER BY o.name", String.class, accountId, accountId);
    }

    /** @return false when the account was on the team already (see {@link #addOwner} for why no failing insert) */
    boolean addMember(long teamId, long accountId) {
        return jdbc.update("INSERT INTO team_member (team_id, account_id) SELECT CAST(? AS BIGINT), CAST(? AS BIGINT) FROM (VALUES (0)) AS one (x)"
                + " WHERE NOT EXISTS (SELECT 1 FROM team_member WHERE team_id = ? AND account_id = ?)",
                teamId, accountId, teamId, accountId) == 1;
    }

    boolean removeMember(long teamId, long accountId) {
        return jdbc.update("DELETE FROM team_member WHERE team_id = ? AND account_id = ?", teamId, accountId) == 1;
    }

    private int count(String sql, Object... args) {
        Integer count = jdbc.queryForObject(sql, Integer.class, args);
        return count == null ? 0 : count;
    }
}
