package io.berth.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assertions;

/**
 * Docker's own daemon (Debian's docker.io), started by a test as the reference to compare Berth with: data, exec root,
 * pid file and socket of its own under a short directory in /tmp (unix socket paths are short, and containerd puts
 * its socket under the exec root), a cgroup parent named after that directory, no iptables, no bridge (its containers
 * run with {@code --network none}). {@link #close} stops it, unmounts what it left mounted, removes its cgroups and
 * deletes its directories. Skips the test without dockerd (fails it in CI).
 */
public final class Dockerd implements AutoCloseable {

    private static final Duration READY_DEADLINE = Duration.ofMinutes(2);
    private static final Duration STOP_DEADLINE = Duration.ofSeconds(60);

    private final Process process;
    private final Path directory;
    private final DockerCli cli;

    private Dockerd(Process process, Path directory, DockerCli cli) {
        this.process = process;
        this.directory = directory;
        this.cli = cli;
    }

    private static String cgroupParent(Path directory) {
        return "berth-test-" + directory.getFileName();
    }

    public static Dockerd start() {
        Path dockerd = RequiredTools.require("dockerd", "docker.io");
        RequiredTools.require("containerd", "containerd (a dependency of docker.io)");
        RequiredTools.require("runc", "runc");
        EngineRequirement.assumeEngine(); // root, Linux
        Path directory;
        try {
            directory = Files.createTempDirectory(Path.of("/tmp"), "dkd-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path socket = directory.resolve("d.sock");
        List<String> command = List.of(dockerd.toString(), "--data-root", directory.resolve("data").toString(),
                "--exec-root", directory.resolve("x").toString(), "--pidfile", directory.resolve("d.pid").toString(),
                "-H", "unix://" + socket, "--iptables=false", "--ip6tables=false", "--ip-masq=false",
                "--bridge=none", "--cgroup-parent", cgroupParent(directory));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(directory.resolve("dockerd.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Dockerd started = new Dockerd(process, directory, DockerCli.against(socket));
        try {
            started.awaitReady();
        } catch (RuntimeException | Error e) {
            started.close();
            throw e;
        }
        return started;
    }

    /** The socket its API listens on. */
    public Path socket() {
        return directory.resolve("d.sock");
    }

    /** Runs the docker CLI against this dockerd. */
    public Commands.Result docker(String... arguments) {
        return cli.command(arguments).timeout(Duration.ofMinutes(3)).run();
    }

    private void awaitReady() {
        Instant deadline = Instant.now().plus(READY_DEADLINE);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                Assertions.fail("dockerd exited with " + process.exitValue() + " before it was ready:\n" + log());
            }
            if (cli.command("version", "--format", "{{.Server.Version}}").timeout(Duration.ofSeconds(20)).run()
                    .exitCode() == 0) {
                return;
            }
            try {
                process.waitFor(300, TimeUnit.MILLISECONDS); // returns early only if it dies
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        Assertions.fail("dockerd not ready within " + READY_DEADLINE + ":\n" + log());
    }

    private String log() {
        try {
            return Files.readString(directory.resolve("dockerd.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** The cgroup parent's directories in every hierarchy (v1 controllers, or v2), deepest first. */
    private void removeCgroups() throws IOException {
        Path cgroups = Path.of("/sys/fs/cgroup");
        List<Path> parents = new ArrayList<>();
        parents.add(cgroups.resolve(cgroupParent(directory)));
        try (Stream<Path> hierarchies = Files.list(cgroups)) {
            hierarchies.filter(Files::isDirectory).forEach(hierarchy ->
                    parents.add(hierarchy.resolve(cgroupParent(directory))));
        }
        for (Path parent : parents) {
            if (!Files.isDirectory(parent)) {
                continue;
            }
            try (Stream<Path> groups = Files.walk(parent)) {
                for (Path group : groups.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(group); // rmdir: a cgroup directory goes once no process is in it
                }
            }
        }
    }

    @Override
    public void close() {
        List<Exception> problems = new ArrayList<>();
        try {
            List<ProcessHandle> children = process.descendants().toList();
            process.destroy(); // SIGTERM: dockerd stops its containers and its containerd, and unmounts
            if (!process.waitFor(STOP_DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(STOP_DEADLINE.toSeconds(), TimeUnit.SECONDS);
            }
            for (ProcessHandle child : children) {
                if (child.isAlive()) {
                    child.destroyForcibly(); // a containerd a killed dockerd left behind
                    child.onExit().get(STOP_DEADLINE.toSeconds(), TimeUnit.SECONDS);
                }
            }
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            problems.add(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problems.add(e);
        }
        try {
            List<String> mounts = Files.readAllLines(Path.of("/proc/self/mounts")).stream()
                    .map(line -> line.split(" ")[1]).filter(mount -> mount.startsWith(directory + "/"))
                    .sorted(Comparator.reverseOrder()).toList();
            for (String mount : mounts) {
                Commands.of("umount", "-l", mount).timeout(Duration.ofSeconds(30)).run();
            }
            removeCgroups();
            try (Stream<Path> paths = Files.walk(directory)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        } catch (IOException e) {
            problems.add(e);
        }
        cli.close();
        if (!problems.isEmpty()) {
            throw new IllegalStateException("stopping dockerd: " + problems);
        }
    }
}
