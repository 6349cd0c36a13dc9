package io.berth.engine.console;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import io.berth.common.error.BerthException;
import io.berth.common.error.ErrorKind;
import io.berth.common.error.ErrorStatus;
import io.berth.engine.EngineProperties;
import io.berth.engine.container.ContainerLifecycle;
import io.berth.engine.container.ContainerLogs;

/**
 * The web UI's node page: this node's containers and images, a container's details and its live logs, and start, stop
 * and remove. Administrators only ({@code /node/**} in the web UI's security chain); the actions are the Docker API's
 * own, through the same {@link ContainerLifecycle}.
 */
@Controller
@OnNodeConsole
class NodePage {

    /** Lines of the log a container page starts with, before it follows what comes. */
    static final int LOG_TAIL = 200;

    private final NodeOverview overview;
    private final ContainerLifecycle containers;
    private final ContainerLogs logs;
    private final String socket;

    NodePage(NodeOverview overview, ContainerLifecycle containers, ContainerLogs logs, EngineProperties engine) {
        this.socket = engine.socket().toString();
        this.overview = overview;
        this.containers = containers;
        this.logs = logs;
    }

    @GetMapping("/node")
    String node(Model model) {
        List<ContainerSummary> rows = overview.containers();
        model.addAttribute("containers", rows);
        model.addAttribute("images", overview.images());
        model.addAttribute("totals", overview.totals(rows));
        model.addAttribute("socket", socket);
        return "node/index";
    }

    @GetMapping("/node/containers/{id}")
    String container(@PathVariable String id, Model model) {
        model.addAttribute("container", overview.details(id));
        model.addAttribute("logTail", LOG_TAIL);
        return "node/container";
    }

    @PostMapping("/node/containers/{id}/start")
    String start(@PathVariable String id, @RequestParam(defaultValue = "") String back, RedirectAttributes flash) {
        ContainerSummary container = overview.details(id).summary();
        act(flash, () -> flash.addFlashAttribute("notice", containers.start(container.id())
                ? "Started " + container.name() + "." : container.name() + " was already running."));
        return backTo(back, container.id());
    }

    @PostMapping("/node/containers/{id}/stop")
    String stop(@PathVariable String id, @RequestParam(defaultValue = "") String back, RedirectAttributes flash) {
        ContainerSummary container = overview.details(id).summary();
        act(flash, () -> flash.addFlashAttribute("notice", containers.stop(container.id(), null, null)
                ? "Stopped " + container.name() + "." : container.name() + " was not running."));
        return backTo(back, container.id());
    }

    /** Without {@code force} a running container stays (409, shown as the reason); with it, it is killed first. */
    @PostMapping("/node/containers/{id}/remove")
    String remove(@PathVariable String id, @RequestParam(defaultValue = "false") boolean force,
            @RequestParam(defaultValue = "") String back, RedirectAttributes flash) {
        ContainerSummary container = overview.details(id).summary();
        boolean removed = act(flash, () -> {
            containers.remove(container.id(), force, false);
            flash.addFlashAttribute("notice", "Removed " + container.name() + ".");
        });
        return removed ? "redirect:/node" : backTo(back, container.id());
    }

    /**
     * The live logs: the last {@link #LOG_TAIL} lines, then every line the container adds while it runs, as
     * server-sent events. The stream ends when the container stops or the browser leaves.
     */
    @GetMapping("/node/containers/{id}/logs/stream")
    ResponseEntity<SseEmitter> logStream(@PathVariable String id) throws IOException {
        ContainerDetails container;
        try {
            container = overview.details(id);
        } catch (BerthException e) {
            return ResponseEntity.status(ErrorStatus.of(e.kind())).build();
        }
        SseEmitter emitter = new SseEmitter(0L); // no time limit: a follow lasts as long as the container runs
        LogEvents events = new LogEvents(emitter);
        events.open(container.summary().name());
        logs.follow(container.summary().id(), LOG_TAIL, events);
        return ResponseEntity.ok().header("Cache-Control", "no-store").header("X-Accel-Buffering", "no")
                .body(emitter);
    }

    /** No such container (404) and the Engine's other refusals of a page: the error page with that status. */
    @ExceptionHandler(BerthException.class)
    String refused(BerthException e, HttpServletResponse response, Model model) {
        int status = ErrorStatus.of(e.kind());
        response.setStatus(status);
        model.addAttribute("status", status);
        model.addAttribute("message", e.kind() == ErrorKind.NOT_FOUND ? "There is no such container on this node."
                : e.getMessage());
        return "error";
    }

    /** Runs an action; a refusal of the Engine (a conflict, a failed start) becomes the flash error. */
    private static boolean act(RedirectAttributes flash, Runnable action) {
        try {
            action.run();
            return true;
        } catch (BerthException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                throw e;
            }
            flash.addFlashAttribute("error", e.getMessage());
            return false;
        }
    }

    private static String backTo(String back, String id) {
        return "container".equals(back) ? "redirect:/node/containers/" + id : "redirect:/node";
    }
}
