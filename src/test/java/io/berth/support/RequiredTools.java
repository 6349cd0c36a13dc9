package io.berth.support;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The one place that decides what happens when a test needs an external tool that is not installed.
 *
 * <p>On a developer machine the test is skipped with a message that says how to install the tool. In CI
 * ({@code CI=true}) a skipped test would hide that the client was never exercised, so the test fails
 * instead: CI must install everything the suite needs (see .ci/run).
 */
public final class RequiredTools {

    private RequiredTools() {
    }

    /**
     * Returns the executable named {@code tool}, looked up on the PATH, or at that exact location when
     * {@code tool} contains a slash (e.g. {@code /bin/busybox}).
     *
     * @param debianPackage the package that provides it, named in the skip or failure message
     */
    public static Path require(String tool, String debianPackage) {
        Optional<Path> found = find(tool);
        if (found.isPresent()) {
            return found.get();
        }
        String message = tool + " not installed: apt-get install " + debianPackage;
        if (isCi()) {
            Assertions.fail(message + " (CI=true, so a missing tool fails the test instead of skipping it)");
        }
        Assumptions.abort(message);
        throw new AssertionError("unreachable: Assumptions.abort always throws");
    }

    static boolean isCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    private static Optional<Path> find(String tool) {
        if (tool.contains("/")) {
            Path path = Path.of(tool);
            return Files.isRegularFile(path) && Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        String pathVariable = Optional.ofNullable(System.getenv("PATH")).orElse("/usr/local/bin:/usr/bin:/bin");
        for (String dir : pathVariable.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, tool);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
