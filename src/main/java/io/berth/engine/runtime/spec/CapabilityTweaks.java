package io.berth.engine.runtime.spec;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Docker's {@code --cap-add}/{@code --cap-drop}/{@code --privileged} arithmetic (moby's caps.TweakCapabilities). */
final class CapabilityTweaks {

    private static final String ALL = "ALL";

    private CapabilityTweaks() {
    }

    /**
     * The capability set: all for privileged; with {@code ALL} added, all but the dropped; with {@code ALL} dropped,
     * only the added; else the defaults minus the dropped plus the added.
     */
    static List<String> apply(List<String> defaults, List<String> add, List<String> drop, boolean privileged) {
        if (privileged) {
            return DockerDefaults.allCapabilities();
        }
        if (isEmpty(add) && isEmpty(drop)) {
            return defaults;
        }
        List<String> added = normalize(add);
        List<String> dropped = normalize(drop);
        Set<String> caps = new LinkedHashSet<>();
        if (added.contains(ALL)) {
            for (String cap : DockerDefaults.allCapabilities()) {
                if (!dropped.contains(cap)) {
                    caps.add(cap);
                }
            }
        } else if (dropped.contains(ALL)) {
            caps.addAll(added);
        } else {
            for (String cap : defaults) {
                if (!dropped.contains(cap)) {
                    caps.add(cap);
                }
            }
            caps.addAll(added);
        }
        return List.copyOf(caps);
    }

    /** "net_admin", "NET_ADMIN" and "CAP_NET_ADMIN" are one capability; an unknown one is refused. */
    static List<String> normalize(List<String> names) {
        List<String> normalized = new ArrayList<>();
        if (names == null) {
            return normalized;
        }
        for (String name : names) {
            String cap = name.toUpperCase(Locale.ROOT);
            if (!cap.equals(ALL)) {
                if (!cap.startsWith("CAP_")) {
                    cap = "CAP_" + cap;
                }
                if (!DockerDefaults.KNOWN_CAPABILITIES.contains(cap)) {
                    throw new InvalidContainerSettingsException("unknown capability: \"" + cap + "\"");
                }
            }
            normalized.add(cap);
        }
        return normalized;
    }

    private static boolean isEmpty(List<String> list) {
        return list == null || list.isEmpty();
    }
}
