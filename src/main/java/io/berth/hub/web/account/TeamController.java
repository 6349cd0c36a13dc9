package io.berth.hub.web.account;

import java.net.URI;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.berth.hub.access.caller.Caller;
import io.berth.hub.web.ApiController;

/** {@code /api/v1/orgs/{org}/teams}: an organisation's teams and their members. */
@RestController
@RequestMapping("/api/v1/orgs/{org}/teams")
class TeamController extends ApiController {

    private final TeamManagement teams;

    TeamController(TeamManagement teams) {
        this.teams = teams;
    }

    record NewTeam(String name, String description, String permission) {
    }

    record TeamChanges(String description, String permission) {
    }

    @GetMapping
    List<Team> list(@PathVariable String org, Caller caller) {
        return teams.list(caller, org);
    }

    @PostMapping
    ResponseEntity<Team> create(@PathVariable String org, @RequestBody NewTeam body, Caller caller,
                                HttpServletRequest request) {
        Team team = teams.create(caller, request.getRemoteAddr(), org, body.name(), body.description(), body.permission());
        return ResponseEntity.created(URI.create("/api/v1/orgs/" + org + "/teams/" + team.name())).body(team);
    }

    @GetMapping("/{team}")
    Team get(@PathVariable String org, @PathVariable String team, Caller caller) {
        return teams.get(caller, org, team);
    }

    @PatchMapping("/{team}")
    Team update(@PathVariable String org, @PathVariable String team, @RequestBody TeamChanges body, Caller caller,
                HttpServletRequest request) {
        return teams.update(caller, request.getRemoteAddr(), org, team, body.description(), body.permission());
    }

    @DeleteMapping("/{team}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable String org, @PathVariable String team, Caller caller, HttpServletRequest request) {
        teams.delete(caller, request.getRemoteAddr(), org, team);
    }

    @PutMapping("/{team}/members/{username}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void addMember(@PathVariable String org, @PathVariable String team, @PathVariable String username, Caller caller,
                   HttpServletRequest request) {
        teams.addMember(caller, request.getRemoteAddr(), org, team, username);
    }

    @DeleteMapping("/{team}/members/{username}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void removeMember(@PathVariable String org, @PathVariable String team, @PathVariable String username,
                      Caller caller, HttpServletRequest request) {
        teams.removeMember(caller, request.getRemoteAddr(), org, team, username);
    }
}
