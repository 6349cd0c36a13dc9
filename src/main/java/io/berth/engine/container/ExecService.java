package io.berth.engine.container;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import tools.jackson.databind.JsonNode;

import io.berth.engine.OnEngine;
import io.berth.engine.api.EngineException;
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

    private final ContainerService containers;
    private final ContainerStore store;
    private final Map<String, ExecInstance> execs = new ConcurrentHashMap<>();

    ExecService(ContainerService containers, ContainerStore store) {
        this.containers = containers;
        this.store = store;
    }

    String create(String idOrName, JsonNode body) {
        ContainerRecord container = store.resolve(idOrName);
        if (container.state().isPaused()) {
            throw EngineException.conflict("Container " + container.id()
                    + " is paused, unpause the container before exec");
        }
        containers.running(container);
        if (body == null || !body.isObject()) {
            throw EngineException.badRequest("exec config cannot be empty");
        }
        List<String> cmd = DockerConfigs.strings(body.get("Cmd"));
        if (cmd == null || cmd.isEmpty()) {
            throw EngineException.badRequest("No exec command specified");
        }
        String id = HexFormat.of().formatHex(random32());
        ExecInstance exec = new ExecInstance(id, container.id(), cmd, DockerConfigs.bool(body, "Tty"),
                DockerConfigs.bool(body, "AttachStdin"), DockerConfigs.bool(body, "AttachStdout"),
                DockerConfigs.bool(body, "AttachStderr"), DockerConfigs.strings(body.get("Env")),
                DockerConfigs.text(body, "WorkingDir"), DockerConfigs.text(body, "User"),
                DockerConfigs.bool(body, "Privileged"));
        execs.put(id, exec);
        containers.publish(container, "exec_create: " + String.join(" ", cmd), Map.of("execID", id));
        return id;
    }

    ExecInstance get(String execId) {
        ExecInstance exec = execs.get(execId);
        if (exec == null || store.byId(exec.containerId).isEmpty()) {
            if (exec != null) {
                execs.remove(execId);
            }
            throw EngineException.notFound("No such exec instance: " + execId);
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
        RuntimeContainer handle = containers.running(container);
        if (container.state().isPaused()) {
            throw EngineException.conflict("Container " + container.id()
                    + " is paused, unpause the container before exec");
        }
        if (!exec.begin()) {
            throw EngineException.conflict("Exec command " + execId + " has already run");
        }
        try {
            Process process = process(container, exec);
            ExecProcess started = handle.exec(execId, process, containers.files(container.id()).exec(execId));
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
            containers.publish(container, "exec_start: " + String.join(" ", exec.cmd), Map.of("execID", execId));
            if (detach) {
                Thread watcher = new Thread(() -> finish(exec), "exec-watch-" + execId.substring(0, 12));
                watcher.setDaemon(true);
                watcher.start();
            }
            return exec;
        } catch (InvalidContainerSettingsException e) {
            exec.ended(126);
            throw EngineException.badRequest(e.getMessage());
        } catch (IOException e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            StartFailure failure = e instanceof StartFailure f ? f : null;
            exec.ended(failure != null ? failure.execExitCode() : StartFailure.EXEC_UNKNOWN);
            throw new EngineException(failure != null && failure.kind() == StartFailure.Kind.NOT_FOUND ? 400 : 500,
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
            containers.deleteExecState(exec.containerId, exec.id);
            store.byId(exec.containerId).ifPresent(container -> containers.publish(container, "exec_die",
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
            throw EngineException.conflict("exec " + execId + " is not running with a TTY attached");
        }
        try {
            stdio.resize(height, width);
        } catch (IOException e) {
            throw new EngineException(500, "cannot resize exec " + execId + ": " + e.getMessage(), e);
        }
    }

    Map<String, Object> inspect(String execId) {
        ExecInstance exec = get(execId);
        Map<String, Object> processConfig = new LinkedHashMap<>();
        processConfig.put("tty", exec.tty);
        processConfig.put("entrypoint", exec.cmd.get(0));
        processConfig.put("arguments", exec.cmd.subList(1, exec.cmd.size()));
        processConfig.put("privileged", exec.privileged);
        if (exec.user != null) {
            processConfig.put("user", exec.user);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ID", exec.id);
        body.put("Running", exec.running());
        body.put("ExitCode", exec.exitCode());
        body.put("ProcessConfig", processConfig);
        body.put("OpenStdin", exec.attachStdin);
        body.put("OpenStderr", exec.attachStderr);
        body.put("OpenStdout", exec.attachStdout);
        body.put("CanRemove", false);
        body.put("ContainerID", exec.containerId);
        body.put("DetachKeys", "");
        body.put("Pid", exec.pid());
        return body;
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
        Process base = SpecJson.read(containers.files(container.id()).bundle()).process();
        User user = exec.user == null ? base.user()
                : UserResolver.resolve(containers.rootfs(container), exec.user, null).toSpecUser();
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

    private static byte[] random32() {
        byte[] bytes = new byte[32];
        new java.security.SecureRandom().nextBytes(bytes);
        return bytes;
    }
}
