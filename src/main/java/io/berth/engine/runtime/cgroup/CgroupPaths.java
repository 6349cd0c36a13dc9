package io.berth.engine.runtime.cgroup;

import java.nio.file.Path;
import java.util.regex.Pattern;

/** Where the Engine's cgroups live in each hierarchy, and the check every caller-given path goes through. */
public final class CgroupPaths {

    /** The parent of every container's cgroup unless the caller chooses another. */
    public static final String PARENT = "/berth";

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_.@:+-]+");

    private CgroupPaths() {
    }

    /** The cgroup path of container {@code id} under {@link #PARENT}. */
    public static String forContainer(String id) {
        return PARENT + "/" + id;
    }

    /**
     * {@code path} inside the hierarchy mounted at {@code mount}. The path must be absolute and plain (no {@code ..},
     * no empty segment): it becomes a directory under a cgroup mount that root writes to.
     */
    static Path resolve(Path mount, String path) {
        if (path == null || !path.startsWith("/") || path.length() < 2) {
            throw new IllegalArgumentException("a cgroup path must be absolute and below the root, not " + path);
        }
        Path dir = mount;
        for (String segment : path.substring(1).split("/", -1)) {
            if (!SEGMENT.matcher(segment).matches() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("bad segment '" + segment + "' in cgroup path " + path);
            }
            dir = dir.resolve(segment);
        }
        return dir;
    }
}
