package io.berth.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import io.berth.engine.EngineAvailable;

/** Where the Engine's tests can run: Linux, as root; for the seccomp tests, a kernel that filters system calls. */
public final class EngineRequirement {

    private EngineRequirement() {
    }

    /** Skips the test where the Engine cannot run (not Linux, not root); fails instead in CI, which must run it. */
    public static void assumeEngine() {
        String reason = EngineAvailable.reason(true);
        if (reason == null) {
            return;
        }
        missing("the Engine cannot run here: " + reason, "CI must run its tests as root on Linux");
    }

    /**
     * As {@link #assumeEngine}, and the kernel filters system calls with seccomp (CONFIG_SECCOMP_FILTER: the actions
     * a filter may take are listed in /proc), which the tests of Docker's seccomp profile need.
     */
    public static void assumeSeccomp() {
        assumeEngine();
        String actions;
        try {
            actions = Files.readString(Path.of("/proc/sys/kernel/seccomp/actions_avail"));
        } catch (IOException e) {
            actions = "";
        }
        if (actions.contains("errno")) {
            return;
        }
        missing("this kernel has no seccomp filters (/proc/sys/kernel/seccomp/actions_avail lacks errno)",
                "CI must run the seccomp tests");
    }

    /** Skips the test, or fails it in CI ({@code CI=true}), which must run every test. */
    private static void missing(String reason, String inCi) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(reason + " (" + inCi + ")");
        }
        Assumptions.abort(reason);
    }
}
