package io.berth.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs podman against a storage of its own in a directory that {@link #close()} removes again, so tests
 * never touch (or depend on) the machine's images. Use it in try-with-resources or close it in
 * {@code @AfterEach}.
 *
 * <p>vfs copies layers instead of mounting them, so nothing stays mounted and a plain recursive delete
 * cleans up (no {@code podman system reset}, which as root would also remove the machine's networks).
 * cgroupfs and the file events backend keep podman away from systemd, which a CI container may not have.
 */
public final class Podman implements AutoCloseable {

    private final Path dir;
    private final List<String> globalOptions;

    private Podman(Path dir) {
        this.dir = dir;
        this.globalOptions = List.of(
                "--root", dir.resolve("root").toString(),
                "--runroot", dir.resolve("runroot").toString(),
                "--tmpdir", dir.resolve("tmp").toString(),
                "--storage-driver", "vfs",
                "--cgroup-manager", "cgroupfs",
                "--events-backend", "file");
    }

    /**
     * A podman with empty storage in a new directory under /tmp, removed by {@link #close()}.
     *
     * <p>Not under java.io.tmpdir or a {@code @TempDir}: podman 4.3 refuses a runroot longer than 50
     * characters ("the specified runroot is longer than 50 characters"), and those paths can be longer.
     */
    public static Podman isolated() {
        RequiredTools.require("podman", "podman");
        try {
            return new Podman(Files.createTempDirectory(Path.of("/tmp"), "podman-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The directory that holds this podman's storage and state. */
    public Path dir() {
        return dir;
    }

    /** Runs {@code podman <args>} and fails the test with podman's output unless it succeeds. */
    public Commands.Result run(String... args) {
        return command(args).succeed();
    }

    /** {@code podman <global options> <args>}, to run or to expect a failure from. */
    public Commands command(String... args) {
        List<String> command = new ArrayList<>();
        command.add("podman");
        command.addAll(globalOptions);
        command.addAll(List.of(args));
        return ContainersIsolation.isolate(Commands.of(command), userDir());
    }

    /** Caches, config, credentials and runtime files, as a user's home would hold them. */
    private Path userDir() {
        return dir.resolve("user");
    }

    /**
     * {@code podman login} to {@code registry} ({@code host:port}, plain HTTP), to run or to expect a failure from.
     * The credentials go to this podman's private auth file ({@link #authFile()}), which later pushes and pulls read.
     */
    public Commands login(String registry, String user, String password) {
        return command("login", "--tls-verify=false", "--username", user, "--password", password, registry);
    }

    /** {@code podman logout}: forgets what {@link #login} stored for {@code registry}. */
    public Commands logout(String registry) {
        return command("logout", registry);
    }

    /** The auth file {@link #login} writes to, inside {@link #dir()}. */
    public Path authFile() {
        return ContainersIsolation.authFile(userDir());
    }

    /** Removes the storage, refusing to delete through anything still mounted below it. */
    @Override
    public void close() {
        if (!Files.exists(dir)) {
            return;
        }
        List<String> mounts = mountsBelow(dir);
        if (!mounts.isEmpty()) {
            throw new IllegalStateException("not deleting " + dir + ": still mounted below it: " + mounts);
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove podman storage " + dir, e);
        }
    }

    private static List<String> mountsBelow(Path dir) {
        Path mountTable = Path.of("/proc/self/mounts");
        if (!Files.isReadable(mountTable)) {
            return List.of();
        }
        String prefix = dir.toAbsolutePath().normalize().toString();
        try (Stream<String> lines = Files.lines(mountTable)) {
            return lines.map(line -> line.split(" ")[1])
                    .filter(mountPoint -> mountPoint.equals(prefix) || mountPoint.startsWith(prefix + "/"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
