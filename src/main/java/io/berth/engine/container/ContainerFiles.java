package io.berth.engine.container;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The files of one container under its directory: the runtime bundle ({@code bundle/config.json}; the rootfs is the
 * graph driver's), the runtime's state directory, the files bound at /etc/hostname, /etc/hosts and
 * /etc/resolv.conf, the log of its earlier runs and the state directories of its execs.
 */
record ContainerFiles(Path dir) {

    Path bundle() {
        return dir.resolve("bundle");
    }

    Path state() {
        return dir.resolve("state");
    }

    Path hostname() {
        return dir.resolve("hostname");
    }

    Path hosts() {
        return dir.resolve("hosts");
    }

    Path resolvConf() {
        return dir.resolve("resolv.conf");
    }

    /** The json-file log of the runs before the current one: a restart moves the runtime's log here. */
    Path earlierRunsLog() {
        return dir.resolve("earlier-runs-json.log");
    }

    Path exec(String execId) {
        return dir.resolve("exec").resolve(execId);
    }

    DockerConfigs.NetworkFiles networkFiles() {
        return new DockerConfigs.NetworkFiles(hostname(), hosts(), resolvConf());
    }

    /**
     * Writes /etc/hostname, /etc/hosts and /etc/resolv.conf, anew before each run as dockerd does (a run sees the
     * host's resolv.conf of its start). Not forced to disk: they are made again from the container's settings before
     * every run, so a crash can lose nothing of them.
     */
    void writeNetworkFiles(String hostname, String hosts, String resolvConf) throws IOException {
        Files.createDirectories(dir);
        replace(hostname(), (hostname + "\n").getBytes(StandardCharsets.UTF_8));
        replace(hosts(), hosts.getBytes(StandardCharsets.UTF_8));
        replace(resolvConf(), resolvConf.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Replaces {@code file} by a rename, not forced to disk: a reader (a container starting meanwhile, an Engine that
     * restarts after a crash of its own) sees the old content or the new, never half of it.
     */
    static void replace(Path file, byte[] content) throws IOException {
        Path partial = file.resolveSibling("." + file.getFileName() + ".new");
        Files.write(partial, content);
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Deletes the directory and everything in it (not following links: a bind source may be linked in). */
    void delete() throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
