package io.berth.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The stock docker CLI pointed at one Engine socket, with a configuration of its own: none of the machine's docker
 * contexts, hosts or credentials apply, and nothing the test logs in to stays behind. Skips the test (fails it in CI)
 * when no docker CLI is installed.
 */
public final class DockerCli implements AutoCloseable {

    private final Path docker;
    private final Path socket;
    private final Path config;

    private DockerCli(Path docker, Path socket, Path config) {
        this.docker = docker;
        this.socket = socket;
        this.config = config;
    }

    public static DockerCli against(Path socket) {
        Path docker = RequiredTools.require("docker", "docker.io");
        try {
            return new DockerCli(docker, socket, Files.createTempDirectory("berth-docker-config-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code docker -H unix://<socket> <arguments>}, to run or to expect a failure from. */
    public Commands command(String... arguments) {
        String[] command = new String[arguments.length + 3];
        command[0] = docker.toString();
        command[1] = "-H";
        command[2] = "unix://" + socket;
        System.arraycopy(arguments, 0, command, 3, arguments.length);
        return Commands.of(command).env("DOCKER_CONFIG", config.toString()).env("DOCKER_HOST", "")
                .env("DOCKER_CONTEXT", "").timeout(Duration.ofMinutes(1));
    }

    /** Removes the CLI's configuration directory. */
    @Override
    public void close() {
        try (Stream<Path> paths = Files.walk(config)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
