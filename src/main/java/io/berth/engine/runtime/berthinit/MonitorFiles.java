package io.berth.engine.runtime.berthinit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jnr.constants.platform.Errno;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

/**
 * What a berth-init monitor keeps in its state directory: {@code pid} (the process's host pid), {@code monitor.pid},
 * {@code started} ({@code startedAt=<time>}), {@code exit} ({@code exitCode=<n>}, {@code finishedAt=<time>},
 * written atomically once the process ended and its output was drained), {@code attach.sock} and, for a container,
 * {@code container.log}; when it delegates to another runtime, also that runtime's {@code runtime.pid},
 * {@code runtime.log} and, for a while, {@code console.sock}. Read fresh each time: the monitor outlives the Engine
 * that started it.
 */
final class MonitorFiles {

    static final POSIX POSIX = POSIXFactory.getNativePOSIX();

    /** The longest pause between two looks at a monitor that cannot be watched. */
    private static final Duration LONGEST_POLL = Duration.ofMillis(100);

    /** Files the monitor writes; {@link #remove()} deletes them. */
    private static final List<String> FILES = List.of("pid", "monitor.pid", "started", "exit", "attach.sock",
            "container.log", "pid.tmp", "monitor.pid.tmp", "started.tmp", "exit.tmp", OciCli.PID_FILE, OciCli.LOG_FILE,
            OciCli.CONSOLE_SOCKET, OciCli.PROCESS_FILE);

    private final Path dir;

    MonitorFiles(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    Path socket() {
        return dir.resolve("attach.sock");
    }

    Path log() {
        return dir.resolve("container.log");
    }

    boolean exists() {
        return Files.exists(dir.resolve("pid"));
    }

    int pid() throws IOException {
        String pid = read("pid");
        return pid == null ? 0 : Integer.parseInt(pid.trim());
    }

    Instant startedAt() throws IOException {
        return instant(read("started"), "startedAt");
    }

    /** The exit file's exit code, or null while there is none. */
    Integer exitCode() throws IOException {
        String exit = read("exit");
        return exit == null ? null : Integer.valueOf(field(exit, "exitCode"));
    }

    Instant finishedAt() throws IOException {
        return instant(read("exit"), "finishedAt");
    }

    /**
     * Whether the monitor still runs: its pid is alive and is a berth-init monitor, not a process that reused it, nor
     * a zombie (a monitor that ended waits for init to reap it, which may take seconds).
     */
    boolean monitorAlive() throws IOException {
        String pid = read("monitor.pid");
        if (pid == null) {
            return false;
        }
        int monitor = Integer.parseInt(pid.trim());
        if (POSIX.kill(monitor, 0) != 0) {
            return false;
        }
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Integer.toString(monitor), "stat"));
        } catch (IOException gone) { // it ended meanwhile: no such file, or ESRCH while read
            return false;
        }
        return runningMonitor(stat);
    }

    /**
     * Whether a {@code /proc/<pid>/stat} line is of a berth-init process that has not exited. A zombie has: its parent
     * is whatever reaps orphans on this host, and some init processes reap only every second or two.
     */
    static boolean runningMonitor(String stat) {
        // "<pid> (<comm>) <state> ...": comm may hold spaces and parentheses, the last ')' ends it
        int open = stat.indexOf('('), close = stat.lastIndexOf(')');
        if (open < 0 || close < 0 || close + 2 >= stat.length()) {
            return false;
        }
        char state = stat.charAt(close + 2);
        return stat.substring(open + 1, close).startsWith("berth-") && state != 'Z' && state != 'X';
    }

    /**
     * Waits at most {@code timeout} for the monitor to end (its exit file written, or the monitor gone without one);
     * whether it did. The monitor wakes the wait: the end of its attach socket's stream ({@link AttachClient#watch}).
     * Only a monitor that cannot be watched (one ending just now, its socket gone, or one serving all the clients it
     * takes) is looked at every few milliseconds instead.
     */
    boolean awaitEnd(Duration timeout) throws IOException, InterruptedException {
        if (ended()) {
            return true;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try (AttachClient.Watch watch = AttachClient.watch(socket())) {
            if (!watch.awaitEnd(timeout)) {
                return false;
            }
        } catch (IOException unreachable) {
            // look below
        }
        long pauseMillis = 1;
        while (!ended()) {
            long remainingMillis = (deadline - System.nanoTime()) / 1_000_000;
            if (remainingMillis <= 0) {
                return false;
            }
            Thread.sleep(Math.min(pauseMillis, remainingMillis));
            pauseMillis = Math.min(pauseMillis * 2, LONGEST_POLL.toMillis());
        }
        return true;
    }

    private boolean ended() throws IOException {
        return exitCode() != null || !monitorAlive();
    }

    int monitorPid() throws IOException {
        String pid = read("monitor.pid");
        return pid == null ? 0 : Integer.parseInt(pid.trim());
    }

    /** Sends {@code signal} to the process while its monitor says it runs; a process already gone is no error. */
    void signal(int signal) throws IOException {
        int pid = pid();
        if (pid <= 0 || exitCode() != null || !monitorAlive()) {
            return;
        }
        if (POSIX.kill(pid, signal) != 0 && POSIX.errno() != Errno.ESRCH.intValue()) {
            throw new IOException("kill -" + signal + " " + pid + " failed: "
                    + Errno.valueOf(POSIX.errno()).description());
        }
    }

    void remove() throws IOException {
        for (String file : FILES) {
            Files.deleteIfExists(dir.resolve(file));
        }
    }

    private String read(String name) throws IOException {
        try {
            return Files.readString(dir.resolve(name), StandardCharsets.UTF_8);
        } catch (NoSuchFileException absent) {
            return null;
        }
    }

    private static Instant instant(String content, String key) {
        return content == null ? null : Instant.parse(field(content, key));
    }

    private static String field(String content, String key) {
        for (String line : content.split("\n")) {
            if (line.startsWith(key + "=")) {
                return line.substring(key.length() + 1).trim();
            }
        }
        throw new IllegalStateException("no " + key + " in a berth-init state file: " + content);
    }
}
