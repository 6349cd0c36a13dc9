package io.berth.hub.web.repository;

import java.net.URI;

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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.berth.hub.access.caller.Caller;
import io.berth.hub.web.ApiController;

/**
 * {@code /api/v1/repositories}: search, settings, tags and stars. A name's slashes reach {@code {name}} through
 * {@code RepositoryPathFilter}; sub-resources follow {@code /-/}.
 */
@RestController
@RequestMapping("/api/v1/repositories")
class RepositoryController extends ApiController {

    private final RepositoryManagement repositories;
    private final RepositoryTags tags;

    RepositoryController(RepositoryManagement repositories, RepositoryTags tags) {
        this.repositories = repositories;
        this.tags = tags;
    }

    record NewRepository(String name, String visibility, String description) {
    }

    record RepositoryChanges(String description, String readme, String visibility) {
    }

    @GetMapping
    RepositoryPage search(@RequestParam(required = false) String q, @RequestParam(required = false) String namespace,
                          @RequestParam(required = false) String sort, @RequestParam(defaultValue = "1") int page,
                          @RequestParam(defaultValue = "25") int size, Caller caller) {
        return repositories.search(caller,
                new RepositoryQuery(q, namespace, RepositoryQuery.Order.of(sort), page, size));
    }

    @PostMapping
    ResponseEntity<RepositoryDetails> create(@RequestBody NewRepository body, Caller caller, HttpServletRequest request) {
        RepositoryDetails created = repositories.create(caller, request.getRemoteAddr(), body.name(), body.visibility(),
                body.description());
        return ResponseEntity.created(URI.create("/api/v1/repositories/" + created.name())).body(created);
    }

    @GetMapping("/{name}")
    RepositoryDetails get(@PathVariable String name, Caller caller) {
        return repositories.get(caller, name);
    }

    @PatchMapping("/{name}")
    RepositoryDetails update(@PathVariable String name, @RequestBody RepositoryChanges body, Caller caller,
                             HttpServletRequest request) {
        return repositories.update(caller, request.getRemoteAddr(), name, body.description(), body.readme(),
                body.visibility());
    }

    @DeleteMapping("/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable String name, Caller caller, HttpServletRequest request) {
        repositories.delete(caller, request.getRemoteAddr(), name);
    }

    @GetMapping("/{name}/-/tags")
    TagPage tags(@PathVariable String name, @RequestParam(defaultValue = "1") int page,
                 @RequestParam(defaultValue = "" + Paging.DEFAULT_SIZE) int size, Caller caller) {
        return tags.list(caller, name, new Paging(page, size));
    }

    @DeleteMapping("/{name}/-/tags/{tag}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void deleteTag(@PathVariable String name, @PathVariable String tag, Caller caller, HttpServletRequest request) {
        tags.delete(caller, request.getRemoteAddr(), name, tag);
    }

    @PutMapping("/{name}/-/star")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void star(@PathVariable String name, Caller caller) {
        repositories.star(caller, name);
    }

    @DeleteMapping("/{name}/-/star")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void unstar(@PathVariable String name, Caller caller) {
        repositories.unstar(caller, name);
    }
}
