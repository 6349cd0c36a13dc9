package io.berth.engine.runtime.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Finds the machine's cgroup layout and returns the {@link Cgroups} that drives it: {@link V1Cgroups} for v1 and
 * hybrid (whose controllers are v1's; its cgroup2 mount holds none the Engine uses), {@link V2Cgroups} for v2.
 */
public final class CgroupsDetector {

    /** The v1 controllers a container needs: limits, accounting, and the freezer that makes destroy reliable. */
    static final List<String> V1_REQUIRED = List.of("memory", "cpu", "cpuacct", "pids", "freezer");

    /** The v2 controllers a container needs (v2 freezes without a controller). */
    static final List<String> V2_REQUIRED = List.of("memory", "cpu", "pids");

    private CgroupsDetector() {
    }

    /** The cgroups of this machine, read from /proc/self/mountinfo and /proc/cgroups. */
    public static Cgroups detect() throws IOException {
        return detect(Path.of("/proc/self/mountinfo"), Path.of("/proc/cgroups"));
    }

    static Cgroups detect(Path mountinfo, Path procCgroups) throws IOException {
        CgroupLayout layout = CgroupLayout.parse(Files.readAllLines(mountinfo));
        if (layout.version() == CgroupVersion.V2) {
            Path controllersFile = layout.unified().resolve("cgroup.controllers");
            Set<String> available = Set.of(CgroupFiles.read(controllersFile).split("\\s+"));
            List<String> missing = V2_REQUIRED.stream().filter(c -> !available.contains(c)).toList();
            if (!missing.isEmpty()) {
                throw new IllegalStateException("cgroup v2 at " + layout.unified() + " lacks the controllers "
                        + missing + " (" + controllersFile + " lists " + available + "); the kernel must be built"
                        + " with them and not boot with cgroup_disable=");
            }
            return new V2Cgroups(layout.unified());
        }
        List<String> missing = V1_REQUIRED.stream().filter(c -> !layout.controllers().containsKey(c)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException(missingV1(missing, procCgroups, layout));
        }
        return new V1Cgroups(layout.version(), layout.controllers());
    }

    /** Why each missing controller is missing, as /proc/cgroups tells it, and what to do about it. */
    private static String missingV1(List<String> missing, Path procCgroups, CgroupLayout layout) throws IOException {
        List<String> kernel = Files.exists(procCgroups) ? Files.readAllLines(procCgroups) : List.of();
        List<String> reasons = new ArrayList<>();
        for (String controller : missing) {
            String reason = controller + ": not in the kernel (" + procCgroups + " does not list it)";
            for (String line : kernel) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length >= 4 && fields[0].equals(controller)) {
                    if (fields[3].equals("0")) {
                        reason = controller + ": disabled at boot (cgroup_disable=" + controller + ")";
                    } else if (fields[1].equals("0") && layout.unified() != null) {
                        reason = controller + ": attached to the cgroup2 hierarchy at " + layout.unified()
                                + ", which the Engine does not use for it in a " + layout.version() + " layout";
                    } else {
                        reason = controller + ": not mounted (mount -t cgroup -o " + controller + " cgroup "
                                + "/sys/fs/cgroup/" + controller + ")";
                    }
                }
            }
            reasons.add(reason);
        }
        return "cgroup " + layout.version() + " layout lacks controllers the Engine needs: "
                + String.join("; ", reasons);
    }
}
