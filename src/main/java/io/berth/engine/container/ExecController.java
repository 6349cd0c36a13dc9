package io.berth.engine.container;

import java.io.IOException;

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

import tools.jackson.databind.json.JsonMapper;

import io.berth.engine.OnEngine;
import io.berth.engine.api.JsonBodies;
import io.berth.engine.docker.ExecConfig;
import io.berth.engine.docker.ExecInspect;
import io.berth.engine.docker.ExecStartConfig;
import io.berth.engine.docker.IdResponse;

/** {@code docker exec}: create, start (hijacked, or detached), inspect, resize. */
@RestController
@OnEngine
class ExecController {

    private final ExecService execs;
    private final JsonMapper json;

    ExecController(ExecService execs, JsonMapper json) {
        this.execs = execs;
        this.json = json;
    }

    @PostMapping("/containers/{id}/exec")
    ResponseEntity<IdResponse> create(@PathVariable String id, @RequestBody(required = false) byte[] body) {
        String execId = execs.create(id, JsonBodies.read(json, body, ExecConfig.class));
        return ResponseEntity.status(HttpStatus.CREATED).contentType(MediaType.APPLICATION_JSON)
                .body(new IdResponse(execId));
    }

    /** Detached: 200 once the process runs. Attached: the connection is hijacked ({@code 101}) for its stdio. */
    @PostMapping("/exec/{id}/start")
    void start(@PathVariable String id, @RequestBody(required = false) byte[] body, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        ExecStartConfig options = JsonBodies.read(json, body, ExecStartConfig.class);
        boolean detach = options != null && options.detach();
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
    ExecInspect inspect(@PathVariable String id) {
        return execs.inspect(id);
    }

    @PostMapping("/exec/{id}/resize")
    ResponseEntity<Void> resize(@PathVariable String id, @RequestParam(required = false) Integer h,
            @RequestParam(required = false) Integer w) {
        execs.resize(id, h == null ? 0 : h, w == null ? 0 : w);
        return ResponseEntity.ok().contentLength(0).build();
    }
}
