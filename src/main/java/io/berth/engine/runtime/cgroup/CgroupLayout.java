package io.berth.engine.runtime.cgroup;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The cgroup mounts of a machine as /proc/self/mountinfo lists them.
 *
 * @param version     the layout they make up
 * @param controllers each v1 controller mounted and where its hierarchy is (cpu and cpuacct may share one)
 * @param unified     where the cgroup2 hierarchy is mounted, or null
 */
record CgroupLayout(CgroupVersion version, Map<String, Path> controllers, Path unified) {

    /** The controllers a v1 mount may carry among its options; the other options are mount flags. */
    private static final Set<String> V1_CONTROLLERS = Set.of("cpu", "cpuacct", "cpuset", "memory", "devices",
            "freezer", "blkio", "pids", "net_cls", "net_prio", "perf_event", "hugetlb", "rdma", "misc");

    private static final Path USUAL_UNIFIED = Path.of("/sys/fs/cgroup");

    /** The layout the lines of a mountinfo file describe; fails when they hold no cgroup mount at all. */
    static CgroupLayout parse(List<String> mountinfo) {
        Map<String, Path> whole = new LinkedHashMap<>();
        Map<String, Path> partial = new LinkedHashMap<>();
        Path unified = null;
        for (String line : mountinfo) {
            // id parent major:minor root mountpoint options [optional fields...] - fstype source superoptions
            String[] fields = line.trim().split(" ");
            int separator = 6;
            while (separator < fields.length && !fields[separator].equals("-")) {
                separator++;
            }
            if (fields.length < separator + 4) {
                continue;
            }
            String fsType = fields[separator + 1];
            Path mountPoint = Path.of(unescape(fields[4]));
            if (fsType.equals("cgroup2")) {
                if (unified == null || mountPoint.equals(USUAL_UNIFIED)) {
                    unified = mountPoint;
                }
            } else if (fsType.equals("cgroup")) {
                // a hierarchy bind-mounted from a subdirectory (root not "/") only counts when no whole one is
                Map<String, Path> into = fields[3].equals("/") ? whole : partial;
                for (String option : fields[separator + 3].split(",")) {
                    if (V1_CONTROLLERS.contains(option)) {
                        into.putIfAbsent(option, mountPoint);
                    }
                }
            }
        }
        Map<String, Path> controllers = new LinkedHashMap<>(partial);
        controllers.putAll(whole);
        CgroupVersion version;
        if (!controllers.isEmpty()) {
            version = unified == null ? CgroupVersion.V1 : CgroupVersion.HYBRID;
        } else if (unified != null) {
            version = CgroupVersion.V2;
        } else {
            throw new IllegalStateException("no cgroup filesystem is mounted (neither cgroup nor cgroup2 in "
                    + "/proc/self/mountinfo); the Engine needs cgroups to limit containers");
        }
        return new CgroupLayout(version, Map.copyOf(controllers), unified);
    }

    /** mountinfo escapes space, tab, newline and backslash as three octal digits. */
    private static String unescape(String field) {
        StringBuilder text = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length() && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                text.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                text.append(c);
            }
        }
        return text.toString();
    }
}
