package io.berth.engine.graph;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Root and overlayfs for graph tests, with the semantics of {@link io.berth.support.RequiredTools}: skipped with a
 * message on a developer machine, failed under CI=true (CI must run these as root on a kernel with overlay).
 */
final class KernelFeatures {

    private KernelFeatures() {
    }

    static void requireRoot() {
        if (TestTar.UID != 0) {
            missing("this test needs root (chown, mknod, trusted.* xattrs); run it as root");
        }
    }

    static void requireOverlay() {
        requireRoot();
        try {
            if (Files.readAllLines(Path.of("/proc/filesystems")).stream().noneMatch(l -> l.endsWith("\toverlay"))) {
                missing("this test needs overlayfs: modprobe overlay");
            }
        } catch (IOException e) {
            missing("cannot read /proc/filesystems: " + e.getMessage());
        }
    }

    private static void missing(String message) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(message + " (CI=true, so a missing requirement fails the test instead of skipping it)");
        }
        Assumptions.abort(message);
    }
}
