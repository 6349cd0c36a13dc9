package io.berth.engine.docker;

import java.util.List;

/** The body of {@code POST /exec/{id}/start}: detached or attached (then hijacked), and the TTY's first size. */
@DockerJson
public record ExecStartConfig(@ZeroWhenNull boolean detach, @ZeroWhenNull boolean tty, List<Integer> consoleSize) {
}
