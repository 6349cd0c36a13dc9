package io.berth.faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A small tmpfs, mounted for a test that must fill a disk; unmounted by {@link #close}. Mounting needs root: in CI
 * ({@code CI=true}) a test that cannot mount fails, elsewhere it is skipped saying why.
 */
final class Tmpfs implements AutoCloseable {

    private final Path mountPoint;

    private Tmpfs(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    static Tmpfs mount(Path mountPoint, int megabytes) throws IOException, InterruptedException {
        Files.createDirectories(mountPoint);
        String result = run(List.of("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m,mode=0700", "tmpfs",
                mountPoint.toString()));
        if (result != null) {
            String message = "cannot mount a " + megabytes + " MiB tmpfs on " + mountPoint + " (needs root): " + result;
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(message + " (CI=true, so this fails instead of skipping)");
            }
            Assumptions.abort(message);
        }
        return new Tmpfs(mountPoint);
    }

    Path path() {
        return mountPoint;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        String result = run(List.of("umount", mountPoint.toString()));
        if (result != null) {
            // Something still holds a file open (a process that outlived its test): detach it now, freed when released.
            String lazy = run(List.of("umount", "-l", mountPoint.toString()));
            if (lazy != null) {
                throw new IOException("cannot unmount " + mountPoint + ": " + result + "; " + lazy);
            }
        }
    }

    /** Runs a command; null when it succeeded, else what it printed. */
    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!process.waitFor(1, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            return String.join(" ", command) + " did not finish";
        }
        return process.exitValue() == 0 ? null : String.join(" ", command) + " exited " + process.exitValue() + ": " + output;
    }
}
