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

/** {@code /api/v1/orgs}: organisations and their owners. */
@RestController
@RequestMapping("/api/v1/orgs")
class OrganisationController extends ApiController {

    private final OrganisationManagement organisations;

    OrganisationController(OrganisationManagement organisations) {
        this.organisations = organisations;
    }

    record NewOrganisation(String name, String description) {
    }

    record OrganisationChanges(String description) {
    }

    @PostMapping
    ResponseEntity<Organisation> create(@RequestBody NewOrganisation body, Caller caller, HttpServletRequest request) {
        Organisation organisation = organisations.create(caller, request.getRemoteAddr(), body.name(), body.description());
        return ResponseEntity.created(URI.create("/api/v1/orgs/" + organisation.name())).body(organisation);
    }

    @GetMapping
    List<Organisation> list() {
        return organisations.list();
    }

    @GetMapping("/{org}")
    Organisation get(@PathVariable String org) {
        return organisations.get(org);
    }

    @PatchMapping("/{org}")
    Organisation update(@PathVariable String org, @RequestBody OrganisationChanges body, Caller caller) {
        return organisations.update(caller, org, body.description());
    }

    @DeleteMapping("/{org}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable String org, Caller caller, HttpServletRequest request) {
        organisations.delete(caller, request.getRemoteAddr(), org);
    }

    @GetMapping("/{org}/owners")
    List<String> owners(@PathVariable String org, Caller caller) {
        return organisations.owners(caller, org);
    }

    @PutMapping("/{org}/owners/{username}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void addOwner(@PathVariable String org, @PathVariable String username, Caller caller, HttpServletRequest request) {
        organisations.addOwner(caller, request.getRemoteAddr(), org, username);
    }

    @DeleteMapping("/{org}/owners/{username}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void removeOwner(@PathVariable String org, @PathVariable String username, Caller caller, HttpServletRequest request) {
        organisations.removeOwner(caller, request.getRemoteAddr(), org, username);
    }
}
