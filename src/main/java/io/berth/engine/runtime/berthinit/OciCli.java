package io.berth.engine.runtime.berthinit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The command line of an OCI runtime (runc, crun) as Berth uses it: its state kept under {@code root}, apart from any
 * other user of that runtime on the machine, and its own log in the state dir of the monitor that runs it (so its
 * warnings never land in a container's stderr).
 *
 * @param name   {@code runc} or {@code crun}
 * @param binary the runtime's executable
 * @param root   the runtime's state directory ({@code --root})
 */
record OciCli(String name, Path binary, Path root) {

    /** Files in a monitor's state dir: the pid the runtime writes, its log, the socket its pty comes over. */
    static final String PID_FILE = "runtime.pid", LOG_FILE = "runtime.log", CONSOLE_SOCKET = "console.sock";

    /** An exec's process, as {@code exec --process} reads it. */
    static final String PROCESS_FILE = "process.json";

    private static final long DELETE_TIMEOUT_SECONDS = 60;

    /** {@code args} as the runtime's command line, run by a monitor whose state dir is {@code stateDir}. */
    List<String> command(Path stateDir, String... args) {
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--root", root.toString(), "--log",
                stateDir.toAbsolutePath().resolve(LOG_FILE).toString()));
        command.addAll(List.of(args));
        return command;
    }

    /**
     * The errno behind an error runc or crun reported, or null: they say it only in words (runc in Go's, crun in
     * strerror's), read here as dockerd reads them, a later match taking precedence.
     */
    static String errnoOf(String message) {
        String words = message.toLowerCase(Locale.ROOT);
        if (words.contains("not a directory")) {
            return "ENOTDIR";
        }
        if (words.contains("permission denied")) {
            return "EACCES";
        }
        if (words.contains("executable file not found") || words.contains("no such file or directory")) {
            return "ENOENT";
        }
        return null;
    }

    /** Kills what is left of container {@code id} and removes the runtime's state and cgroup of it; gone is fine. */
    void delete(String id) throws IOException {
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--root", root.toString(), "delete",
                "--force", id));
        java.lang.Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        try {
            if (!process.waitFor(DELETE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(name + " delete " + id + " did not end within " + DELETE_TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted while " + name + " deleted " + id, e);
        }
        if (process.exitValue() != 0 && !output.contains("does not exist")) {
            throw new IOException(name + " delete " + id + " failed: " + output);
        }
    }
}
