package io.berth.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Gives skopeo and podman per-test state, so a test sees the requests a fresh client makes and leaves
 * nothing behind.
 *
 * <p>Both tools (containers/image) keep a blob-info cache: which blobs they saw in which repository. On a
 * later push they HEAD those or try a cross-repository mount instead of uploading. Run as root they keep it
 * in /var/lib/containers/cache for the whole machine, and neither has a flag to move it (skopeo 1.9, podman
 * 4.3), so runs against an earlier Berth on the same port would change what the next run sends.
 *
 * <p>containers/image takes the user from {@code _CONTAINERS_ROOTLESS_UID} when set (podman's rootless
 * re-exec sets it): for a non-root ID the cache goes to {@code $XDG_DATA_HOME/containers/cache}. In that
 * mode the tools also use the user's other directories, so all of them point into {@code dir} as well:
 * {@code $XDG_RUNTIME_DIR} (auth.json lookup, podman's libpod dir; must exist, else podman falls back to
 * /run/user/<uid> and /tmp/containers-user-<uid>), {@code $XDG_CONFIG_HOME} (podman creates cni/net.d
 * there; no user config of the machine leaks in) and {@code $XDG_CACHE_HOME} (short-name alias lock).
 * Checked with {@code --debug} ("Using blob info cache at <dir>/data/containers/cache/...") and by
 * looking for new files in /root, /run and /tmp. Storage paths are given to podman explicitly.
 *
 * <p>Credentials: {@code login} writes, and every command reads, {@code REGISTRY_AUTH_FILE} ({@code <dir>/auth.json},
 * created empty), the default of both tools' {@code --authfile}; as root they would otherwise use
 * /run/containers/0/auth.json, shared by the whole machine. {@code DOCKER_CONFIG} points into {@code dir} too, so
 * that a docker login of the machine's user ({@code ~/.docker/config.json}, which containers/image also reads)
 * cannot log a test in.
 */
public final class ContainersIsolation {

    private ContainersIsolation() {
    }

    /** The auth file that {@code login} writes to and every command run with {@code dir} reads from. */
    public static Path authFile(Path dir) {
        return dir.resolve("auth.json");
    }

    /**
     * Makes {@code command} keep its caches, config, credentials and runtime files under {@code dir} (created if
     * missing).
     */
    public static Commands isolate(Commands command, Path dir) {
        Path data = dir.resolve("data");
        Path config = dir.resolve("config");
        Path cache = dir.resolve("cache");
        Path runtime = dir.resolve("run");
        try {
            Files.createDirectories(data);
            Files.createDirectories(config);
            Files.createDirectories(cache);
            if (!Files.isDirectory(runtime)) {
                // podman wants its runtime dir private, like /run/user/<uid>.
                Files.createDirectories(runtime,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            if (!Files.exists(authFile(dir))) {
                // podman refuses a REGISTRY_AUTH_FILE that does not exist, even for a pull that needs no login.
                Files.writeString(Files.createFile(authFile(dir),
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
                        "{\"auths\":{}}");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return command
                .env("_CONTAINERS_ROOTLESS_UID", "65534")
                .env("XDG_DATA_HOME", data.toString())
                .env("XDG_CONFIG_HOME", config.toString())
                .env("XDG_CACHE_HOME", cache.toString())
                .env("XDG_RUNTIME_DIR", runtime.toString())
                .env("REGISTRY_AUTH_FILE", authFile(dir).toString())
                .env("DOCKER_CONFIG", dir.resolve("docker").toString());
    }
}
