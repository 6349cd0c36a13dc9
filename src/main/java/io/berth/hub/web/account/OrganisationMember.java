package io.berth.hub.web.account;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Someone who belongs to an organisation, as its page lists them: an owner, on teams, or both.
 *
 * @param teams the names of the teams the user is on
 */
record OrganisationMember(String username, boolean owner, List<String> teams) {

    /** Everyone among the owners and the teams' members, once each, by name. */
    static List<OrganisationMember> of(List<String> owners, List<Team> teams) {
        Map<String, List<String>> teamsOf = new TreeMap<>();
        owners.forEach(owner -> teamsOf.put(owner, new ArrayList<>()));
        for (Team team : teams) {
            team.members().forEach(member -> teamsOf.computeIfAbsent(member, name -> new ArrayList<>()).add(team.name()));
        }
        return teamsOf.entrySet().stream()
                .map(entry -> new OrganisationMember(entry.getKey(), owners.contains(entry.getKey()),
                        List.copyOf(entry.getValue())))
                .toList();
    }
}
