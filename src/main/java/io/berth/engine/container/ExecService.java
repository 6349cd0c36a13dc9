package io.berth.engine.container;

import static io.berth.common.error.ErrorKind.CONFLICT;
import static io.berth.common.error.ErrorKind.FAILED;
import static io.berth.common.error.ErrorKind.INVALID;
import static io.berth.common.error.ErrorKind.NOT_FOUND;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import io.berth.common.error.BerthException;
import io.berth.engine.OnEngine;
import io.berth.engine.docker.ExecConfig;
import io.berth.engine.docker.ExecInspect;
import io.berth.engine.graph.GraphDriver;
import io.berth.engine.runtime.ExecProcess;
import io.berth.engine.runtime.RuntimeContainer;
import io.berth.engine.runtime.StartFailure;
import io.berth.engine.runtime.StdioConnection;
import io.berth.engine.runtime.spec.Capabilities;
import io.berth.engine.runtime.spec.DockerDefaults;
import io.berth.engine.runtime.spec.InvalidContainerSettingsException;
import io.berth.engine.runtime.spec.Process;
import io.berth.engine.runtime.spec.SpecJson;
import io.berth.engine.runtime.spec.User;
import io.berth.engine.runtime.spec.UserResolver;

/**
 * {@code docker exec}: a process started in a running container's namespaces and cgroup, with the container's
 * environment, user, capabilities and limits unless the exec says otherwise. Execs are kept while their container
 * exists, for inspect's exit code.
 */
@Service
@OnEngine
class ExecService {

    private static final Logger log = LoggerFactory.getLogger(ExecService.class);
    private static final Duration EXIT_SLICE = Duration.ofSeconds(60);

    private static final SecureRandom RANDOM = new SecureRandom();

    private final ContainerRuns runs;
    private final ContainerStore store;
    private final ContainerEvents events;
    private final GraphDriver graph;
    private final Map<String, ExecInstance> execs = new ConcurrentHashMap<>();

    ExecService(ContainerRuns runs, ContainerStore store, ContainerEvents events, GraphDriver graph) {
        this.runs = runs;
        this.store = store;
        this.events = events;
        this.graph = graph;
    }

    String create(String idOrName, ExecConfig body) {
        ContainerRecord container = store.resolve(idOrName);
        if (container.state().isPaused()) {
            throw new BerthException(CONFLICT, "Container " + container.id()
                    + " is paused, unpause the container before exec");
        }
        runs.running(container);
        if (body == null) {
            throw new BerthException(INVALID, "exec config cannot be empty");
        }
        List<String> cmd = body.cmd();
        if (cmd == null || cmd.isEmpty()) {
            throw new BerthException(INVALID, "No exec command specified");
        }
        String id = HexFormat.of().formatHex(random32());
        ExecInstance exec = new ExecInstance(id, container.id(), cmd, body.tty(), body.attachStdin(),
                body.attachStdout(), body.attachStderr(), body.env(), DockerConfigs.emptyToNull(body.workingDir()),
                DockerConfigs.emptyToNull(body.user()), body.privileged());
        execs.put(id, exec);
        events.publish(container, "exec_create: " + String.join(" ", cmd), Map.of("execID", id));
        return id;
    }

    ExecInstance get(String execId) {
        ExecInstance exec = execs.get(execId);
        if (exec == null || store.byId(exec.containerId).isEmpty()) {
            if (exec != null) {
                execs.remove(execId);
            }
            throw new BerthException(NOT_FOUND, "No such exec instance: " + execId);
        }
        return exec;
    }

    /**
     * Starts the exec's process, attached to its stdio unless {@code detach}; fails (400 for a program that cannot
     * be run, 409 for a container that stopped) before the connection is hijacked, so the CLI shows why.
     */
    ExecInstance start(String execId, boolean detach) {
        ExecInstance exec = get(execId);
        ContainerRecord container = store.resolve(exec.containerId);
        RuntimeContainer handle = runs.running(container);
        if (container.state().isPaused()) {
            throw new BerthException(CONFLICT, "Container " + container.id()
                    + " is paused, unpause the container before exec");
        }
        if (!exec.begin()) {
            throw new BerthException(CONFLICT, "Exec command " + execId + " has already run");
        }
        try {
            Process process = process(container, exec);
            ExecProcess started = handle.exec(execId, process, files(container.id()).exec(execId));
            StdioConnection stdio = detach ? null : started.attach();
            try {
                started.start();
            } catch (IOException | RuntimeException e) {
                if (stdio != null) {
                    stdio.close();
                }
                throw e;
            }
            exec.started(started, stdio, started.pid());
            events.publish(container, "exec_start: " + String.join(" ", exec.cmd), Map.of("execID", execId));
            if (detach) {
                Thread watcher = new Thread(() -> finish(exec), "exec-watch-" + execId.substring(0, 12));
                watcher.setDaemon(true);
                watcher.start();
            }
            return exec;
        } catch (InvalidContainerSettingsException e) {
            exec.ended(126);
            throw new BerthException(INVALID, e.getMessage());
        } catch (IOException e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            StartFailure failure = e instanceof StartFailure f ? f : null;
            exec.ended(failure != null ? failure.execExitCode() : StartFailure.EXEC_UNKNOWN);
            throw new BerthException(failure != null && failure.kind() == StartFailure.Kind.NOT_FOUND ? INVALID : FAILED,
                    "OCI runtime exec failed: " + message, e);
        }
    }

    /** Waits for the exec's process to end and records its exit code (before its stream closes). */
    void finish(ExecInstance exec) {
        try {
            Integer code = exec.process().awaitExit(EXIT_SLICE);
            while (code == null && store.byId(exec.containerId).isPresent()) {
                code = exec.process().awaitExit(EXIT_SLICE);
            }
            exec.ended(code == null ? 137 : code);
            deleteState(exec);
            store.byId(exec.containerId).ifPresent(container -> events.publish(container, "exec_die",
                    Map.of("execID", exec.id, "exitCode", String.valueOf(exec.exitCode()))));
        } catch (IOException e) {
            log.warn("lost track of exec {}: {}", exec.id, e.toString());
            exec.ended(126);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void resize(String execId, int height, int width) {
        ExecInstance exec = get(execId);
        StdioConnection stdio = exec.stdio();
        if (stdio == null) {
            throw new BerthException(CONFLICT, "exec " + execId + " is not running with a TTY attached");
        }
        try {
            stdio.resize(height, width);
        } catch (IOException e) {
            throw new BerthException(FAILED, "cannot resize exec " + execId + ": " + e.getMessage(), e);
        }
    }

    ExecInspect inspect(String execId) {
        ExecInstance exec = get(execId);
        return new ExecInspect(exec.id, exec.running(), exec.exitCode(), new ExecInspect.ProcessConfig(exec.tty,
                exec.cmd.get(0), exec.cmd.subList(1, exec.cmd.size()), exec.privileged, exec.user),
                exec.attachStdin, exec.attachStderr, exec.attachStdout, false, exec.containerId, "", exec.pid());
    }

    /** An exec's runtime state, once its exit code is known. */
    private void deleteState(ExecInstance exec) {
        try {
            new ContainerFiles(files(exec.containerId).exec(exec.id)).delete();
        } catch (IOException | RuntimeException e) {
            log.debug("cannot delete the state of exec {}: {}", exec.id, e.toString());
        }
    }

    List<String> idsOf(String containerId) {
        List<String> ids = new ArrayList<>();
        execs.values().removeIf(exec -> store.byId(exec.containerId).isEmpty());
        for (ExecInstance exec : execs.values()) {
            if (exec.containerId.equals(containerId)) {
                ids.add(exec.id);
            }
        }
        return ids;
    }

    /** The container's process settings with the exec's command, env, user, directory and TTY. */
    private Process process(ContainerRecord container, ExecInstance exec) throws IOException {
        Process base = SpecJson.read(files(container.id()).bundle()).process();
        User user = exec.user == null ? base.user()
                : UserResolver.resolve(graph.createRootfs(container.id(), container.topChainId()), exec.user, null)
                        .toSpecUser();
        return processFor(base, exec.cmd, exec.tty, exec.env, exec.workingDir, user, exec.privileged);
    }

    /** A process like the container's first one ({@code base}) running {@code cmd}, for exec and healthchecks. */
    static Process processFor(Process base, List<String> cmd, boolean tty, List<String> extraEnv, String workingDir,
            User user, boolean privileged) {
        List<String> env = new ArrayList<>(base.env() == null ? List.of() : base.env());
        for (String variable : extraEnv == null ? List.<String>of() : extraEnv) {
            String key = variable.split("=", 2)[0];
            env.removeIf(existing -> existing.split("=", 2)[0].equals(key));
            env.add(variable);
        }
        if (tty && env.stream().noneMatch(variable -> variable.startsWith("TERM="))) {
            env.add("TERM=xterm");
        }
        List<String> bounding = privileged ? DockerDefaults.allCapabilities()
                : base.capabilities() == null ? List.of() : base.capabilities().bounding();
        Capabilities capabilities = user.uid() == 0 ? new Capabilities(bounding, bounding, null, bounding, null)
                : new Capabilities(bounding, null, null, null, null);
        String cwd = workingDir != null ? workingDir : base.cwd();
        return new Process(tty, null, user, cmd, List.copyOf(env), cwd, capabilities, base.rlimits(),
                base.noNewPrivileges(), null);
    }

    private ContainerFiles files(String containerId) {
        return new ContainerFiles(store.directory(containerId));
    }

    private static byte[] random32() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
