package io.berth.engine.container;

import java.io.IOException;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import tools.jackson.databind.JsonNode;

import io.berth.engine.OnEngine;

/** {@code docker exec}: create, start (hijacked, or detached), inspect, resize. */
@RestController
@OnEngine
class ExecController {

    private final ExecService execs;

    ExecController(ExecService execs) {
        this.execs = execs;
    }

    @PostMapping("/containers/{id}/exec")
    ResponseEntity<Map<String, String>> create(@PathVariable String id, @RequestBody(required = false) byte[] body) {
        String execId = execs.create(id, ContainersController.json(body));
        return ResponseEntity.status(HttpStatus.CREATED).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("Id", execId));
    }

    /** Detached: 200 once the process runs. Attached: the connection is hijacked ({@code 101}) for its stdio. */
    @PostMapping("/exec/{id}/start")
    void start(@PathVariable String id, @RequestBody(required = false) byte[] body, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        JsonNode options = ContainersController.json(body);
        boolean detach = options != null && DockerConfigs.bool(options, "Detach");
        ExecInstance exec = execs.start(id, detach);
        if (detach) {
            response.setStatus(HttpServletResponse.SC_OK);
            response.setContentLength(0);
            return;
        }
        StdioSession session = new StdioSession("exec-" + id.substring(0, 12), exec.tty, exec.attachStdin,
                exec.attachStdout, exec.attachStderr, true).onOutputEnd(() -> execs.finish(exec));
        session.connect(exec.stdio());
        session.serve(Hijack.upgrade(request, response, exec.tty));
    }

    @GetMapping("/exec/{id}/json")
    Map<String, Object> inspect(@PathVariable String id) {
        return execs.inspect(id);
    }

    @PostMapping("/exec/{id}/resize")
    ResponseEntity<Void> resize(@PathVariable String id, @RequestParam(required = false) Integer h,
            @RequestParam(required = false) Integer w) {
        execs.resize(id, h == null ? 0 : h, w == null ? 0 : w);
        return ResponseEntity.ok().contentLength(0).build();
    }
}
