package io.berth.engine;

import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Whether this node can run the Engine: enabled ({@code berth.engine.enabled}), on Linux, as root. Beans of the Engine
 * are conditional on it through {@link OnEngine}; {@link #reason} says in one line why the Engine is off.
 */
public final class EngineAvailable implements Condition {

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        return reason(context.getEnvironment().getProperty("berth.engine.enabled", Boolean.class, true)) == null;
    }

    /** Null when the Engine can run; otherwise why not, in words an operator can act on. */
    public static String reason(boolean enabled) {
        if (!enabled) {
            return "berth.engine.enabled=false";
        }
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            return "the Engine runs on Linux only, not on " + System.getProperty("os.name");
        }
        if (!isRoot()) {
            return "the Engine needs root (namespaces, mounts, cgroups); this process runs as uid " + uid();
        }
        return null;
    }

    private static boolean isRoot() {
        return "0".equals(uid());
    }

    /** The real uid from /proc, without native calls: this runs before any bean exists. */
    private static String uid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.substring(4).trim().split("\\s+")[1]; // effective uid
                }
            }
        } catch (Exception e) {
            return "unknown";
        }
        return "unknown";
    }
}
