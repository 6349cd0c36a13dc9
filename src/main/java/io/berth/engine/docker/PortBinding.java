package io.berth.engine.docker;

/** A host address and port a container port is published on ({@code HostConfig.PortBindings}, {@code -p}). */
@DockerJson
public record PortBinding(@ZeroWhenNull String hostIp, @ZeroWhenNull String hostPort) {
}
