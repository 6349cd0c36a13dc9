package io.berth.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assertions;

/**
 * Runs an external command (skopeo, podman, ...) with a timeout and captures what it printed.
 *
 * <pre>{@code
 * Commands.Result result = Commands.of("skopeo", "inspect", "--raw", ref).timeout(Duration.ofMinutes(1)).run();
 * String manifest = Commands.of("skopeo", "inspect", "--raw", ref).succeed().stdout();
 * }</pre>
 */
public final class Commands {

    /** Long enough for a client to push a few MB to a local registry on a slow CI machine. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(3);

    private final List<String> command;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private Duration timeout = DEFAULT_TIMEOUT;
    private Path workingDirectory;

    private Commands(List<String> command) {
        this.command = List.copyOf(command);
    }

    public static Commands of(String... command) {
        return new Commands(List.of(command));
    }

    public static Commands of(List<String> command) {
        return new Commands(command);
    }

    /** Runs the command and fails the test, showing its output, unless it exits with 0. */
    public static Result succeed(String... command) {
        return of(command).succeed();
    }

    public Commands env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    public Commands timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    public Commands directory(Path workingDirectory) {
        this.workingDirectory = workingDirectory;
        return this;
    }

    public Result succeed() {
        return run().assertSuccess();
    }

    /**
     * Runs the command to its end. A command still running at the timeout is killed (with its children) and
     * the test fails with what it printed so far.
     */
    public Result run() {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        if (workingDirectory != null) {
            builder.directory(workingDirectory.toFile());
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        // Drain both pipes on their own threads: a command that fills one pipe while we wait on the other
        // would otherwise block forever.
        StreamCollector stdout = StreamCollector.start(process.getInputStream(), "stdout of " + command.get(0));
        StreamCollector stderr = StreamCollector.start(process.getErrorStream(), "stderr of " + command.get(0));
        try {
            // No command here reads input; closing stdin makes one that unexpectedly prompts fail fast.
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor();
                Assertions.fail("timed out after " + timeout + ": " + String.join(" ", command)
                        + describe(stdout.text(), stderr.text()));
            }
            return new Result(command, process.exitValue(), stdout.text(), stderr.text());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new IllegalStateException("interrupted while running " + command, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String describe(String stdout, String stderr) {
        return "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
    }

    /** What a finished command left behind. */
    public record Result(List<String> command, int exitCode, String stdout, String stderr) {

        public boolean succeeded() {
            return exitCode == 0;
        }

        public Result assertSuccess() {
            if (exitCode != 0) {
                Assertions.fail("exit code " + exitCode + ": " + String.join(" ", command)
                        + describe(stdout, stderr));
            }
            return this;
        }

        /** Fails unless the command failed; returns the result so the test can check the error message. */
        public Result assertFailure() {
            if (exitCode == 0) {
                Assertions.fail("expected a failure but it succeeded: " + String.join(" ", command)
                        + describe(stdout, stderr));
            }
            return this;
        }

        /** stdout and stderr together, for assertions on messages that a tool may print to either. */
        public String output() {
            return stdout + stderr;
        }

        /** The last non-blank line of stdout, where podman prints an image ID. */
        public String lastLine() {
            List<String> lines = stdout.strip().lines().toList();
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1).strip();
        }
    }

    /** Reads one process stream to its end on a daemon thread. */
    private static final class StreamCollector {
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private final Thread thread;

        private StreamCollector(InputStream in, String name) {
            this.thread = new Thread(() -> copy(in), name);
            this.thread.setDaemon(true);
        }

        static StreamCollector start(InputStream in, String name) {
            StreamCollector collector = new StreamCollector(in, name);
            collector.thread.start();
            return collector;
        }

        private void copy(InputStream in) {
            byte[] chunk = new byte[8192];
            try (in) {
                int read;
                while ((read = in.read(chunk)) != -1) {
                    synchronized (buffer) {
                        buffer.write(chunk, 0, read);
                    }
                }
            } catch (IOException e) {
                // The stream closes under us when a timed-out process is killed; what was read is kept.
            }
        }

        String text() {
            try {
                // The pipe closes when the process exits; give a grandchild holding it open a moment only.
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (buffer) {
                return buffer.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
