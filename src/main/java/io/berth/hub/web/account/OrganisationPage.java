package io.berth.hub.web.account;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriComponentsBuilder;

import io.berth.hub.HubException;
import io.berth.hub.access.caller.Caller;
import io.berth.hub.web.PageController;
import io.berth.hub.web.repository.NamespaceRepositories;

/**
 * {@code /account/organisations} and {@code /orgs/{org}}: the viewer's organisations, and one organisation with its
 * teams, members, owners and repositories. What a viewer sees is what the REST API shows them: anyone the name,
 * description and the repositories they may see; members the teams and owners; owners (and administrators) the forms
 * that change them. A form posted by anyone else gets the API's refusal, as the error page.
 */
@Controller
class OrganisationPage extends PageController {

    private final OrganisationManagement organisations;
    private final TeamManagement teams;
    private final UserManagement users;
    private final NamespaceRepositories repositories;

    OrganisationPage(OrganisationManagement organisations, TeamManagement teams, UserManagement users,
                     NamespaceRepositories repositories) {
        this.organisations = organisations;
        this.teams = teams;
        this.users = users;
        this.repositories = repositories;
    }

    @GetMapping("/account/organisations")
    String mine(Caller caller, Model model) {
        model.addAttribute("organisations", users.me(caller).organisations());
        return "account/organisations";
    }

    @PostMapping("/account/organisations")
    String create(@RequestParam(defaultValue = "") String name, @RequestParam(defaultValue = "") String description,
                  Caller caller, HttpServletRequest request, RedirectAttributes redirect) {
        String org = name.strip();
        try {
            organisations.create(caller, request.getRemoteAddr(), org, description.isBlank() ? null : description.strip());
        } catch (HubException e) {
            redirect.addFlashAttribute("error", e.getMessage());
            redirect.addFlashAttribute("name", name);
            redirect.addFlashAttribute("description", description);
            return "redirect:/account/organisations";
        }
        redirect.addFlashAttribute("notice", "The organisation " + org + " was created; you are its owner.");
        return "redirect:" + page(org);
    }

    @GetMapping("/orgs/{org}")
    String organisation(@PathVariable String org, Caller caller, Model model) {
        model.addAttribute("organisation", organisations.get(org));
        boolean member = organisations.belongsTo(caller, org);
        model.addAttribute("member", member);
        model.addAttribute("owner", organisations.mayManage(caller, org));
        if (member) {
            List<Team> all = teams.list(caller, org);
            List<String> owners = organisations.owners(caller, org);
            model.addAttribute("teams", all);
            model.addAttribute("owners", owners);
            model.addAttribute("members", OrganisationMember.of(owners, all));
        }
        model.addAttribute("repositories", repositories.visibleIn(caller, org));
        return "account/organisation";
    }

    @PostMapping("/orgs/{org}/description")
    String describe(@PathVariable String org, @RequestParam(defaultValue = "") String description, Caller caller,
                    RedirectAttributes redirect) {
        return manage(caller, org, redirect, "The description was saved.",
                () -> organisations.update(caller, org, description.strip()));
    }

    @PostMapping("/orgs/{org}/teams")
    String createTeam(@PathVariable String org, @RequestParam(defaultValue = "") String name,
                      @RequestParam(defaultValue = "") String permission,
                      @RequestParam(defaultValue = "") String description, Caller caller, HttpServletRequest request,
                      RedirectAttributes redirect) {
        String team = name.strip();
        return manage(caller, org, redirect, "The team " + team + " was created.", () -> teams.create(caller,
                request.getRemoteAddr(), org, team, description.isBlank() ? null : description.strip(), permission));
    }

    @PostMapping("/orgs/{org}/teams/{team}/permission")
    String changePermission(@PathVariable String org, @PathVariable String team,
                            @RequestParam(defaultValue = "") String permission, Caller caller,
                            HttpServletRequest request, RedirectAttributes redirect) {
        return manage(caller, org, redirect, "The team " + team + " now has the " + permission + " permission.",
                () -> teams.update(caller, request.getRemoteAddr(), org, team, null, permission));
    }

    @PostMapping("/orgs/{org}/teams/{team}/delete")
    String deleteTeam(@PathVariable String org, @PathVariable String team, Caller caller, HttpServletRequest request,
                      RedirectAttributes redirect) {
        return manage(caller, org, redirect, "The team " + team + " was deleted.",
                () -> teams.delete(caller, request.getRemoteAddr(), org, team));
    }

    @PostMapping("/orgs/{org}/teams/{team}/members")
    String addMember(@PathVariable String org, @PathVariable String team, @RequestParam(defaultValue = "") String username,
                     Caller caller, HttpServletRequest request, RedirectAttributes redirect) {
        String user = username.strip();
        return manage(caller, org, redirect, user + " is on the team " + team + ".",
                () -> teams.addMember(caller, request.getRemoteAddr(), org, team, user));
    }

    @PostMapping("/orgs/{org}/teams/{team}/members/{username}/remove")
    String removeMember(@PathVariable String org, @PathVariable String team, @PathVariable String username,
                        Caller caller, HttpServletRequest request, RedirectAttributes redirect) {
        return manage(caller, org, redirect, username + " is no longer on the team " + team + ".",
                () -> teams.removeMember(caller, request.getRemoteAddr(), org, team, username));
    }

    @PostMapping("/orgs/{org}/owners")
    String addOwner(@PathVariable String org, @RequestParam(defaultValue = "") String username, Caller caller,
                    HttpServletRequest request, RedirectAttributes redirect) {
        String user = username.strip();
        return manage(caller, org, redirect, user + " is an owner of " + org + ".",
                () -> organisations.addOwner(caller, request.getRemoteAddr(), org, user));
    }

    @PostMapping("/orgs/{org}/owners/{username}/remove")
    String removeOwner(@PathVariable String org, @PathVariable String username, Caller caller,
                       HttpServletRequest request, RedirectAttributes redirect) {
        return manage(caller, org, redirect, username + " is no longer an owner of " + org + ".",
                () -> organisations.removeOwner(caller, request.getRemoteAddr(), org, username));
    }

    @PostMapping("/orgs/{org}/delete")
    String delete(@PathVariable String org, Caller caller, HttpServletRequest request, RedirectAttributes redirect) {
        organisations.delete(caller, request.getRemoteAddr(), org);
        redirect.addFlashAttribute("notice", "The organisation " + org + " was deleted, with its teams and repositories.");
        return "redirect:/account/organisations";
    }

    /**
     * Makes a change and goes back to the organisation's page. An owner who typed a name wrong sees why on the page;
     * anyone else gets the refusal the REST API would answer (403, 401, 404) as the error page.
     */
    private String manage(Caller caller, String org, RedirectAttributes redirect, String notice, Runnable change) {
        try {
            change.run();
            redirect.addFlashAttribute("notice", notice);
        } catch (HubException e) {
            if (!organisations.mayManage(caller, org)) {
                throw e;
            }
            redirect.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:" + page(org);
    }

    private static String page(String org) {
        return UriComponentsBuilder.fromPath("/orgs/{org}").buildAndExpand(org).encode().toUriString();
    }
}
