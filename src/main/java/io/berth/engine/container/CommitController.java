package io.berth.engine.container;

import java.io.IOException;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.berth.engine.OnEngine;
import io.berth.engine.api.JsonBodies;
import io.berth.engine.docker.ContainerConfig;
import io.berth.engine.docker.FilesystemChange;
import io.berth.engine.docker.IdResponse;
import tools.jackson.databind.json.JsonMapper;

/** {@code docker commit} ({@code POST /commit}) and {@code docker diff} ({@code GET /containers/{id}/changes}). */
@RestController
@OnEngine
class CommitController {

    private final ContainerCommits commits;
    private final JsonMapper json;

    CommitController(ContainerCommits commits, JsonMapper json) {
        this.commits = commits;
        this.json = json;
    }

    @PostMapping("/commit")
    ResponseEntity<IdResponse> commit(@RequestParam String container,
            @RequestParam(required = false) String repo, @RequestParam(required = false) String tag,
            @RequestParam(required = false) String comment, @RequestParam(required = false) String author,
            @RequestParam(required = false) List<String> changes,
            @RequestParam(required = false, defaultValue = "true") boolean pause,
            @RequestBody(required = false) byte[] body) throws IOException {
        ContainerConfig config = JsonBodies.read(json, body, ContainerConfig.class);
        String id = commits.commit(new ContainerCommits.CommitRequest(container, repo, tag, comment, author, changes,
                pause, config)).toString();
        return ResponseEntity.status(HttpStatus.CREATED).body(new IdResponse(id));
    }

    @GetMapping("/containers/{id}/changes")
    List<FilesystemChange> changes(@PathVariable String id) throws IOException {
        return commits.changes(id).stream()
                .map(change -> new FilesystemChange(change.path(), change.kind().code()))
                .toList();
    }
}
