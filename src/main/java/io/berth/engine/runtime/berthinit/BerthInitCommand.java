package io.berth.engine.runtime.berthinit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One run of {@code berth-init create|exec}: the plan on its stdin, the new process's pid on its stdout. */
final class BerthInitCommand {

    private static final Logger log = LoggerFactory.getLogger(BerthInitCommand.class);

    private BerthInitCommand() {
    }

    /**
     * Runs {@code binary args...} with {@code plan}; returns the pid it printed, or fails with its error: a
     * {@link io.berth.engine.runtime.StartFailure} when berth-init reported one.
     */
    static int run(Path binary, String plan, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        command.addAll(List.of(args));
        java.lang.Process process = new ProcessBuilder(command).start();
        CompletableFuture<byte[]> errors = CompletableFuture.supplyAsync(() -> {
            try {
                return process.getErrorStream().readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        });
        try (var stdin = process.getOutputStream()) {
            stdin.write(plan.getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        int status;
        try {
            status = process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroy();
            throw new IOException("interrupted while berth-init " + args[0] + " ran", e);
        }
        String stderr = new String(errors.join(), StandardCharsets.UTF_8).trim();
        List<String> warnings = stderr.lines().filter(l -> l.startsWith("warning: ")).toList();
        warnings.forEach(w -> log.warn("berth-init {}: {}", args[0], w.substring(9)));
        if (status != 0 || output.isEmpty()) {
            var failure = stderr.lines().filter(l -> l.startsWith("error: ")).findFirst();
            if (failure.isPresent()) {
                throw FailureReport.parse(failure.get().substring(7));
            }
            String error = stderr.lines().filter(l -> !l.startsWith("warning: ")).reduce((a, b) -> a + "; " + b)
                    .orElse("berth-init " + args[0] + " exited with status " + status);
            throw new IOException(error);
        }
        return Integer.parseInt(output);
    }
}
