package io.berth.support;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import io.berth.engine.EngineAvailable;

/** Where the Engine's tests can run: Linux, as root. */
public final class EngineRequirement {

    private EngineRequirement() {
    }

    /** Skips the test where the Engine cannot run (not Linux, not root); fails instead in CI, which must run it. */
    public static void assumeEngine() {
        String reason = EngineAvailable.reason(true);
        if (reason == null) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail("the Engine cannot run here (" + reason + "); CI must run its tests as root on Linux");
        }
        Assumptions.abort("the Engine cannot run here: " + reason);
    }
}
