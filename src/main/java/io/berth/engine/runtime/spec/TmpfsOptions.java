package io.berth.engine.runtime.spec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A tmpfs mount's options as Docker makes them (moby's mount.MergeTmpfsOptions): its defaults, then the user's, and
 * where two say the same thing (noexec then exec, two sizes) the later one wins and the earlier one goes.
 */
final class TmpfsOptions {

    /** Docker's defaults for every tmpfs asked for with --tmpfs or HostConfig.Tmpfs. */
    static final List<String> DEFAULTS = List.of("noexec", "nosuid", "nodev", "rprivate");

    /** Flags that set or clear one mount flag share a key: the later of "exec" and "noexec" wins. */
    private static final Map<String, String> FLAG_KEYS = Map.ofEntries(
            Map.entry("ro", "rdonly"), Map.entry("rw", "rdonly"),
            Map.entry("suid", "nosuid"), Map.entry("nosuid", "nosuid"),
            Map.entry("dev", "nodev"), Map.entry("nodev", "nodev"),
            Map.entry("exec", "noexec"), Map.entry("noexec", "noexec"),
            Map.entry("sync", "sync"), Map.entry("async", "sync"),
            Map.entry("dirsync", "dirsync"), Map.entry("remount", "remount"),
            Map.entry("mand", "mand"), Map.entry("nomand", "mand"),
            Map.entry("atime", "noatime"), Map.entry("noatime", "noatime"),
            Map.entry("diratime", "nodiratime"), Map.entry("nodiratime", "nodiratime"),
            Map.entry("bind", "bind"), Map.entry("rbind", "rbind"),
            Map.entry("relatime", "relatime"), Map.entry("norelatime", "relatime"),
            Map.entry("strictatime", "strictatime"), Map.entry("nostrictatime", "strictatime"),
            Map.entry("private", "propagation"), Map.entry("rprivate", "propagation"),
            Map.entry("shared", "propagation"), Map.entry("rshared", "propagation"),
            Map.entry("slave", "propagation"), Map.entry("rslave", "propagation"),
            Map.entry("unbindable", "propagation"), Map.entry("runbindable", "propagation"));

    private static final Set<String> DATA_KEYS = Set.of("size", "mode", "uid", "gid", "nr_inodes", "nr_blocks",
            "mpol");

    private TmpfsOptions() {
    }

    /** Docker's defaults merged with {@code userOptions} ("size=64m,exec"; null or empty for none). */
    static List<String> merge(String userOptions) {
        List<String> options = new ArrayList<>(DEFAULTS);
        if (userOptions != null && !userOptions.isEmpty()) {
            options.addAll(List.of(userOptions.split(",")));
        }
        Set<String> seen = new HashSet<>();
        LinkedList<String> merged = new LinkedList<>();
        for (int i = options.size() - 1; i >= 0; i--) {
            String option = options.get(i);
            if (option.equals("defaults")) {
                continue;
            }
            String key = FLAG_KEYS.get(option);
            if (key == null) {
                int equals = option.indexOf('=');
                if (equals < 0 || !DATA_KEYS.contains(option.substring(0, equals))) {
                    throw new InvalidContainerSettingsException("invalid tmpfs option \"" + option + "\"");
                }
                key = "data:" + option.substring(0, equals);
            }
            if (seen.add(key)) {
                merged.addFirst(option);
            }
        }
        return List.copyOf(merged);
    }
}
