package io.berth.engine.container;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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
     * Writes /etc/hostname, /etc/hosts and /etc/resolv.conf for a container named {@code hostname}, anew before each
     * run as dockerd does (a run sees the host's resolv.conf of its start). With the host's network it sees the host's
     * hosts and resolv.conf, as with Docker. In a network namespace of its own, loopback name servers of the host (a
     * local resolver on 127.0.0.53) cannot be reached, so they are left out. Not forced to disk: they are made again
     * from the container's settings before every run, so a crash can lose nothing of them.
     */
    void writeNetworkFiles(String hostname, boolean hostNetwork, Path hostHosts, Path hostResolvConf)
            throws IOException {
        Files.createDirectories(dir);
        replace(hostname(), (hostname + "\n").getBytes(StandardCharsets.UTF_8));
        String hosts;
        if (hostNetwork) {
            hosts = readOrEmpty(hostHosts);
        } else {
            hosts = "127.0.0.1\tlocalhost\n"
                    + "::1\tlocalhost ip6-localhost ip6-loopback\n"
                    + "fe00::0\tip6-localnet\n"
                    + "ff00::0\tip6-mcastprefix\n"
                    + "ff02::1\tip6-allnodes\n"
                    + "ff02::2\tip6-allrouters\n"
                    + "127.0.1.1\t" + hostname + "\n";
        }
        replace(hosts(), hosts.getBytes(StandardCharsets.UTF_8));
        String resolv = readOrEmpty(hostResolvConf);
        if (!hostNetwork) {
            List<String> kept = new ArrayList<>();
            for (String line : resolv.split("\n", -1)) {
                String[] words = line.trim().split("\\s+");
                boolean loopbackServer = words.length >= 2 && words[0].equals("nameserver")
                        && (words[1].startsWith("127.") || words[1].equals("::1"));
                if (!loopbackServer) {
                    kept.add(line);
                }
            }
            resolv = String.join("\n", kept);
        }
        replace(resolvConf(), resolv.getBytes(StandardCharsets.UTF_8));
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

    private static String readOrEmpty(Path file) throws IOException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return "";
        }
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
