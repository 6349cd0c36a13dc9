package io.berth.engine.docker;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code GET /exec/{id}/json}: the exec's process, whether it runs, its exit code once it ended (null before) and its
 * host pid.
 */
@DockerJson
public record ExecInspect(@JsonProperty("ID") String id, boolean running, Integer exitCode,
        ProcessConfig processConfig, boolean openStdin, boolean openStderr, boolean openStdout, boolean canRemove,
        @JsonProperty("ContainerID") String containerId, String detachKeys, int pid) {

    /** The exec's command as moby splits it: the program, its arguments; and the user when one was asked for. */
    public record ProcessConfig(@JsonProperty("tty") boolean tty, @JsonProperty("entrypoint") String entrypoint,
            @JsonProperty("arguments") List<String> arguments, @JsonProperty("privileged") boolean privileged,
            @JsonProperty("user") @JsonInclude(Include.NON_NULL) String user) {
    }
}
