package io.berth.engine.docker;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonFormat;

/** The body of {@code POST /containers/{id}/exec} (moby's {@code ExecOptions}): what to run, as whom, attached how. */
@DockerJson
public record ExecConfig(@ZeroWhenNull String user, @ZeroWhenNull boolean privileged, @ZeroWhenNull boolean tty,
        List<Integer> consoleSize, @ZeroWhenNull boolean attachStdin, @ZeroWhenNull boolean attachStderr,
        @ZeroWhenNull boolean attachStdout, @ZeroWhenNull boolean detach, @ZeroWhenNull String detachKeys,
        List<String> env, @ZeroWhenNull String workingDir,
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> cmd) {

    public ExecConfig {
        consoleSize = Copies.list(consoleSize);
        env = Copies.list(env);
        cmd = Copies.list(cmd);
    }
}
