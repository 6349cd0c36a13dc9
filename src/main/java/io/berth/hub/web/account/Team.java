package io.berth.hub.web.account;

import java.util.List;

import io.berth.hub.access.account.TeamEntity;

/**
 * A team of an organisation.
 *
 * @param permission what its members may do with every repository of the organisation: read, write or admin
 * @param members    user names of its members
 */
record Team(String name, String description, String permission, List<String> members) {

    static Team of(TeamEntity team, List<String> members) {
        return new Team(team.getName(), team.getDescription(), team.getPermission().wireName(), List.copyOf(members));
    }
}
