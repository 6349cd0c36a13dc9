package io.berth.engine.network;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of the tools networking drives (a CNI plugin, iptables-restore) with a given environment and input, and
 * returns what it printed. A tool that outlives its timeout is killed, so that a hung tool fails one container's
 * start instead of holding it forever.
 */
final class Subprocess {

    /** What a finished tool left: its exit code, its standard output, and the start of its standard error. */
    record Result(int exitCode, byte[] stdout, String stderr) {

        String stdoutText() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    private static final int STDERR_KEPT = 64 * 1024;

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "network-tool-watchdog");
        thread.setDaemon(true);
        return thread;
    });

    private Subprocess() {
    }

    /**
     * @param environment the whole environment of the tool (nothing of the Engine's own leaks into it); null keeps
     *                    the Engine's
     */
    static Result run(List<String> command, Map<String, String> environment, byte[] stdin, Duration timeout)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command);
        if (environment != null) {
            builder.environment().clear();
            builder.environment().putAll(environment);
        }
        Process process = builder.start();
        ScheduledFuture<?> kill = WATCHDOG.schedule(process::destroyForcibly, timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            try (OutputStream input = process.getOutputStream()) {
                if (stdin != null) {
                    input.write(stdin);
                }
            } catch (IOException e) {
                // The tool exited without reading all its input: its exit code and output say why.
            }
            // These tools write a little to stderr, and only on failure: reading stdout to its end first cannot
            // fill the stderr pipe.
            byte[] stdout = process.getInputStream().readAllBytes();
            String stderr = head(process.getErrorStream());
            int exitCode = waitFor(process);
            if (kill.isDone() && !kill.isCancelled()) {
                throw new IOException(command.get(0) + " did not finish within " + timeout.toSeconds() + "s");
            }
            return new Result(exitCode, stdout, stderr);
        } finally {
            kill.cancel(false);
            process.getErrorStream().close();
            process.getInputStream().close();
        }
    }

    private static String head(InputStream stream) throws IOException {
        byte[] bytes = stream.readNBytes(STDERR_KEPT);
        stream.transferTo(OutputStream.nullOutputStream());
        return new String(bytes, StandardCharsets.UTF_8).strip();
    }

    private static int waitFor(Process process) throws IOException {
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + process.info().command().orElse("a tool"), e);
        }
    }
}
