package io.berth.engine.container;

import static io.berth.common.error.ErrorKind.DENIED;
import static io.berth.common.error.ErrorKind.INVALID;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import tools.jackson.databind.json.JsonMapper;

import io.berth.common.error.BerthException;
import io.berth.engine.OnEngine;
import io.berth.engine.api.EmitterSink;
import io.berth.engine.docker.ContainerStats;
import io.berth.engine.docker.ContainerTopResponse;
import io.berth.engine.graph.GraphDriver;
import io.berth.engine.runtime.RuntimeContainer;

/** What is inside a container: {@code docker top}, {@code docker stats}, {@code docker cp}, {@code docker export}. */
@RestController
@OnEngine
class ContainerResourcesController {

    private static final String PATH_STAT_HEADER = "X-Docker-Container-Path-Stat";

    private final ContainerRuns runs;
    private final ContainerStore store;
    private final GraphDriver graph;
    private final JsonMapper json;
    private final ProcessTable processes = new ProcessTable();
    /** The host's memory, the limit {@code docker stats} shows for a container without one. */
    private final long memTotal = memTotal();

    ContainerResourcesController(ContainerRuns runs, ContainerStore store, GraphDriver graph, JsonMapper json) {
        this.runs = runs;
        this.store = store;
        this.graph = graph;
        this.json = json;
    }

    @GetMapping("/containers/{id}/top")
    ContainerTopResponse top(@PathVariable String id,
            @RequestParam(name = "ps_args", required = false) String psArgs) throws IOException {
        if (psArgs != null && !psArgs.isEmpty() && !psArgs.equals("-ef")) {
            throw new BerthException(INVALID, "ps_args other than -ef are not supported by this engine");
        }
        ContainerRecord container = store.resolve(id);
        RuntimeContainer handle = runs.running(container);
        return processes.top(handle.pids());
    }

    @GetMapping("/containers/{id}/stats")
    ResponseEntity<ResponseBodyEmitter> stats(@PathVariable String id,
            @RequestParam(required = false) Boolean stream,
            @RequestParam(name = "one-shot", required = false) Boolean oneShot) throws IOException {
        ContainerRecord container = store.resolve(id);
        String containerId = container.id();
        ResponseBodyEmitter emitter = new ResponseBodyEmitter(0L);
        emitter.send(new byte[0], MediaType.APPLICATION_JSON);
        StatsStream.start(container, () -> sample(containerId), !Boolean.FALSE.equals(stream),
                Boolean.TRUE.equals(oneShot), Runtime.getRuntime().availableProcessors(), memTotal,
                new StatsSink(emitter));
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(emitter);
    }

    /** Each sample as one line of JSON. */
    private final class StatsSink extends EmitterSink implements StatsStream.Sink {

        StatsSink(ResponseBodyEmitter emitter) {
            super(emitter);
        }

        @Override
        public void stats(ContainerStats stats) throws IOException {
            send((json.writeValueAsString(stats) + "\n").getBytes(StandardCharsets.UTF_8), MediaType.APPLICATION_JSON);
        }
    }

    private StatsStream.Sample sample(String id) {
        ContainerRecord container = store.byId(id).orElse(null);
        if (container == null || !container.state().isRunning() || !runs.isOpen()) {
            return null;
        }
        try {
            RuntimeContainer handle = runs.running(container);
            return new StatsStream.Sample(handle.stats(), processes.systemCpuNanos(), Instant.now());
        } catch (IOException | BerthException e) {
            return null; // it stopped meanwhile
        }
    }

    @RequestMapping(path = "/containers/{id}/archive", method = RequestMethod.HEAD)
    ResponseEntity<Void> archiveStat(@PathVariable String id, @RequestParam String path) throws IOException {
        ContainerArchive archive = archive(id);
        return ResponseEntity.ok().header(PATH_STAT_HEADER, archive.stat(path)).build();
    }

    @GetMapping("/containers/{id}/archive")
    ResponseEntity<StreamingResponseBody> archive(@PathVariable String id, @RequestParam String path)
            throws IOException {
        ContainerArchive archive = archive(id);
        String stat = archive.stat(path);
        return ResponseEntity.ok().header(PATH_STAT_HEADER, stat).contentType(MediaType.parseMediaType(
                "application/x-tar")).body(out -> archive.write(path, out));
    }

    @PutMapping("/containers/{id}/archive")
    ResponseEntity<Void> extract(@PathVariable String id, @RequestParam String path,
            @RequestParam(required = false) Boolean noOverwriteDirNonDir, HttpServletRequest request)
            throws IOException {
        ContainerRecord container = store.resolve(id);
        if (container.hostConfig().readonlyRootfs()) {
            throw new BerthException(DENIED, "container rootfs is marked read-only");
        }
        archive(id).extract(path, request.getInputStream(), Boolean.TRUE.equals(noOverwriteDirNonDir));
        return ResponseEntity.ok().build();
    }

    @GetMapping("/containers/{id}/export")
    ResponseEntity<StreamingResponseBody> export(@PathVariable String id) throws IOException {
        ContainerArchive archive = archive(id);
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/x-tar"))
                .body(archive::export);
    }

    private ContainerArchive archive(String id) throws IOException {
        ContainerRecord container = store.resolve(id);
        return new ContainerArchive(graph.createRootfs(container.id(), container.topChainId()),
                container.name().substring(1), json);
    }

    private static long memTotal() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // unknown: no cap on the limit shown
        }
        return Long.MAX_VALUE;
    }

}
