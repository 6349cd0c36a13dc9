package io.berth.engine.container;

import static io.berth.common.error.ErrorKind.CONFLICT;
import static io.berth.common.error.ErrorKind.INVALID;
import static io.berth.common.error.ErrorKind.NOT_FOUND;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;

import tools.jackson.databind.json.JsonMapper;

import io.berth.common.error.BerthException;
import io.berth.engine.OnEngine;
import io.berth.engine.api.JsonBodies;
import io.berth.engine.docker.ContainerCreateRequest;
import io.berth.engine.docker.ContainerCreateResponse;
import io.berth.engine.docker.ContainerInspect;
import io.berth.engine.docker.ContainerPruneResponse;
import io.berth.engine.docker.ContainerSummary;
import io.berth.engine.docker.ContainerUpdateRequest;
import io.berth.engine.docker.ContainerWaitResponse;
import io.berth.engine.docker.WarningsResponse;
import io.berth.engine.graph.GraphDriver;
import io.berth.engine.image.ImageService;

/** The container part of the Docker Engine API: lifecycle, list, inspect, wait, logs, attach, resize. */
@RestController
@OnEngine
class ContainersController {

    private final ContainerCreator creator;
    private final ContainerLifecycle lifecycle;
    private final ContainerUpdates updates;
    private final AttachSessions sessions;
    private final ContainerStore store;
    private final ContainerLogs logs;
    private final ContainerViews views;
    private final ImageService images;
    private final GraphDriver graph;
    private final JsonMapper json;

    ContainersController(ContainerCreator creator, ContainerLifecycle lifecycle, ContainerUpdates updates,
            AttachSessions sessions, ContainerStore store, ContainerLogs logs, ContainerViews views,
            ImageService images, GraphDriver graph, JsonMapper json) {
        this.creator = creator;
        this.lifecycle = lifecycle;
        this.updates = updates;
        this.sessions = sessions;
        this.store = store;
        this.logs = logs;
        this.views = views;
        this.images = images;
        this.graph = graph;
        this.json = json;
    }

    @PostMapping("/containers/create")
    ResponseEntity<ContainerCreateResponse> create(@RequestParam(required = false) String name,
            @RequestBody(required = false) byte[] body) {
        ContainerCreator.Created created = creator.create(name,
                JsonBodies.read(json, body, ContainerCreateRequest.class));
        return ResponseEntity.status(HttpStatus.CREATED).contentType(MediaType.APPLICATION_JSON)
                .body(new ContainerCreateResponse(created.id(), created.warnings()));
    }

    @GetMapping("/containers/json")
    List<ContainerSummary> list(@RequestParam(required = false) Boolean all,
            @RequestParam(required = false) Integer limit, @RequestParam(required = false) Boolean size,
            @RequestParam(required = false) String filters) {
        ContainerFilters filter = ContainerFilters.parse(json, filters, this::imageIdOf);
        boolean everyone = Boolean.TRUE.equals(all) || (limit != null && limit > 0) || filter.asksForStopped();
        Instant now = Instant.now();
        List<ContainerSummary> list = new ArrayList<>();
        for (ContainerRecord container : store.all()) {
            if (!everyone && !container.state().isRunning() && !container.state().is(ContainerStatus.RESTARTING)) {
                continue;
            }
            if (!filter.matches(container)) {
                continue;
            }
            if (limit != null && limit > 0 && list.size() >= limit) {
                break;
            }
            list.add(views.summary(container, Boolean.TRUE.equals(size) ? sizeRw(container) : null, now));
        }
        return list;
    }

    @GetMapping("/containers/{id}/json")
    ContainerInspect inspect(@PathVariable String id, @RequestParam(required = false) Boolean size) {
        ContainerRecord container = store.resolve(id);
        ContainerInspect inspect = views.inspect(container);
        return Boolean.TRUE.equals(size) ? inspect.withSizeRw(sizeRw(container)) : inspect;
    }

    @PostMapping("/containers/{id}/start")
    ResponseEntity<Void> start(@PathVariable String id) {
        return lifecycle.start(id) ? noContent() : notModified();
    }

    @PostMapping("/containers/{id}/stop")
    ResponseEntity<Void> stop(@PathVariable String id, @RequestParam(required = false) Integer t,
            @RequestParam(required = false) String signal) {
        return lifecycle.stop(id, t, signal) ? noContent() : notModified();
    }

    @PostMapping("/containers/{id}/restart")
    ResponseEntity<Void> restart(@PathVariable String id, @RequestParam(required = false) Integer t,
            @RequestParam(required = false) String signal) {
        lifecycle.restart(id, t, signal);
        return noContent();
    }

    @PostMapping("/containers/{id}/kill")
    ResponseEntity<Void> kill(@PathVariable String id, @RequestParam(required = false) String signal) {
        lifecycle.kill(id, signal);
        return noContent();
    }

    @PostMapping("/containers/{id}/pause")
    ResponseEntity<Void> pause(@PathVariable String id) {
        lifecycle.pause(id, true);
        return noContent();
    }

    @PostMapping("/containers/{id}/unpause")
    ResponseEntity<Void> unpause(@PathVariable String id) {
        lifecycle.pause(id, false);
        return noContent();
    }

    @DeleteMapping("/containers/{id}")
    ResponseEntity<Void> remove(@PathVariable String id, @RequestParam(required = false) Boolean force,
            @RequestParam(required = false) Boolean v, @RequestParam(required = false) Boolean link) {
        if (Boolean.TRUE.equals(link)) {
            throw new BerthException(INVALID, "links are not supported by this engine");
        }
        lifecycle.remove(id, Boolean.TRUE.equals(force), Boolean.TRUE.equals(v));
        return noContent();
    }

    @PostMapping("/containers/{id}/rename")
    ResponseEntity<Void> rename(@PathVariable String id, @RequestParam String name) {
        lifecycle.rename(id, name);
        return noContent();
    }

    /**
     * The head goes out at once (the docker CLI sends start only once it has it); the body, dockerd's
     * {@code {"Error":null,"StatusCode":N}}, when the condition is met.
     */
    @PostMapping("/containers/{id}/wait")
    ResponseEntity<ResponseBodyEmitter> await(@PathVariable String id,
            @RequestParam(required = false) String condition) throws IOException {
        var exit = lifecycle.await(id, condition);
        ResponseBodyEmitter emitter = new ResponseBodyEmitter(0L);
        emitter.send(new byte[0], MediaType.APPLICATION_JSON);
        exit.whenComplete((code, error) -> {
            ContainerWaitResponse answer;
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                answer = ContainerWaitResponse.failed(String.valueOf(cause.getMessage()));
            } else {
                answer = ContainerWaitResponse.exited(code);
            }
            try {
                emitter.send((json.writeValueAsString(answer) + "\n").getBytes(StandardCharsets.UTF_8),
                        MediaType.APPLICATION_JSON);
                emitter.complete();
            } catch (IOException | IllegalStateException e) {
                emitter.completeWithError(e);
            }
        });
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(emitter);
    }

    @GetMapping("/containers/{id}/logs")
    ResponseEntity<ResponseBodyEmitter> logs(@PathVariable String id,
            @RequestParam(required = false) Boolean stdout, @RequestParam(required = false) Boolean stderr,
            @RequestParam(required = false) Boolean follow, @RequestParam(required = false) Boolean timestamps,
            @RequestParam(required = false) String tail, @RequestParam(required = false) String since,
            @RequestParam(required = false) String until) throws IOException {
        ContainerRecord container = store.resolve(id);
        LogQuery query = LogQuery.of(Boolean.TRUE.equals(stdout), Boolean.TRUE.equals(stderr),
                Boolean.TRUE.equals(follow), Boolean.TRUE.equals(timestamps), tail, since, until);
        ResponseBodyEmitter emitter = new ResponseBodyEmitter(0L);
        // The head goes out at once, as dockerd's does, even when no line comes for a while.
        emitter.send(new byte[0]);
        logs.read(container, query, new DockerLogWire(emitter, !container.tty(), query.timestamps()));
        MediaType type = MediaType.parseMediaType(container.tty() ? "application/vnd.docker.raw-stream"
                : "application/vnd.docker.multiplexed-stream");
        return ResponseEntity.ok().contentType(type).body(emitter);
    }

    /** Hijacks the connection ({@code 101}) and joins it to the container's stdio (now, or at its next start). */
    @PostMapping("/containers/{id}/attach")
    void attach(@PathVariable String id, @RequestParam(required = false) Boolean stream,
            @RequestParam(required = false) Boolean stdin, @RequestParam(required = false) Boolean stdout,
            @RequestParam(required = false) Boolean stderr, @RequestParam(required = false) Boolean logs,
            HttpServletRequest request, HttpServletResponse response) throws IOException {
        ContainerRecord container = store.resolve(id);
        if (Boolean.TRUE.equals(logs)) {
            throw new BerthException(INVALID, "attach with logs=1 is not supported by this engine: use the logs "
                    + "endpoint");
        }
        if (!Boolean.TRUE.equals(stream)) {
            throw new BerthException(INVALID, "attach without stream=1 is not supported by this engine");
        }
        StdioSession session = new StdioSession("attach-" + container.shortId(), container.tty(),
                Boolean.TRUE.equals(stdin), Boolean.TRUE.equals(stdout), Boolean.TRUE.equals(stderr),
                container.config().stdinOnce());
        sessions.attach(container.id(), session);
        try {
            session.serve(Hijack.upgrade(request, response, container.tty()));
        } catch (IOException | RuntimeException e) {
            session.close();
            throw e;
        }
    }

    @PostMapping("/containers/{id}/resize")
    ResponseEntity<Void> resize(@PathVariable String id, @RequestParam(required = false) Integer h,
            @RequestParam(required = false) Integer w) {
        sessions.resize(id, h == null ? 0 : h, w == null ? 0 : w);
        return ResponseEntity.ok().contentLength(0).build();
    }

    @PostMapping("/containers/{id}/update")
    WarningsResponse update(@PathVariable String id, @RequestBody(required = false) byte[] body) {
        return new WarningsResponse(updates.update(id, JsonBodies.read(json, body, ContainerUpdateRequest.class)));
    }

    @PostMapping("/containers/prune")
    ContainerPruneResponse prune(@RequestParam(required = false) String filters) {
        ContainerFilters filter = ContainerFilters.parse(json, filters, this::imageIdOf);
        List<String> deleted = new ArrayList<>();
        long reclaimed = 0;
        for (ContainerRecord container : store.all()) {
            if (container.state().isRunning() || !filter.matches(container)) {
                continue;
            }
            long size = sizeRw(container);
            try {
                lifecycle.remove(container.id(), false, false);
                deleted.add(container.id());
                reclaimed += size;
            } catch (BerthException e) {
                if (e.kind() != NOT_FOUND && e.kind() != CONFLICT) {
                    throw e;
                }
                // started or removed meanwhile: not ours to prune any more
            }
        }
        return new ContainerPruneResponse(deleted.isEmpty() ? null : deleted, reclaimed);
    }

    private String imageIdOf(String name) {
        try {
            return images.get(name).id().toString();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The bytes the container wrote into its own layer. */
    private long sizeRw(ContainerRecord container) {
        try {
            return DiskUsage.of(graph.rootfsDiff(container.id()));
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static ResponseEntity<Void> noContent() {
        return ResponseEntity.noContent().build();
    }

    private static ResponseEntity<Void> notModified() {
        return ResponseEntity.status(HttpStatus.NOT_MODIFIED).build();
    }
}
