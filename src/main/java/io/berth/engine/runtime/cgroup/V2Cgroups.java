package io.berth.engine.runtime.cgroup;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.berth.engine.runtime.spec.Resources;

/**
 * cgroup v2: one hierarchy, where a controller reaches a cgroup only when every ancestor lists it in
 * {@code cgroup.subtree_control}.
 */
final class V2Cgroups implements Cgroups {

    /** Delegated to each level down to a container; cpuset and io only where the kernel offers them. */
    private static final List<String> DELEGATED = List.of("memory", "cpu", "pids", "cpuset", "io");

    private final Path root;

    /** {@code root}: where the cgroup2 hierarchy is mounted, normally /sys/fs/cgroup. */
    V2Cgroups(Path root) {
        this.root = root;
    }

    @Override
    public CgroupVersion version() {
        return CgroupVersion.V2;
    }

    @Override
    public String driver() {
        return "cgroupfs";
    }

    @Override
    public Cgroup create(String path, Resources resources) throws IOException {
        V2Cgroup cgroup = open(path);
        Path dir = cgroup.directory();
        List<Path> created = new ArrayList<>();
        try {
            List<Path> ancestors = new ArrayList<>();
            for (Path level = dir.getParent(); !level.equals(root); level = level.getParent()) {
                ancestors.add(0, level);
            }
            ancestors.add(0, root);
            for (Path level : ancestors) {
                if (!level.equals(root)) {
                    createDirectory(level, created);
                }
                delegate(level);
            }
            createDirectory(dir, created);
            cgroup.update(resources);
        } catch (IOException | RuntimeException e) {
            CgroupFiles.removeCreated(created, e);
            throw e;
        }
        return cgroup;
    }

    @Override
    public V2Cgroup open(String path) {
        return new V2Cgroup(path, CgroupPaths.resolve(root, path));
    }

    private static void createDirectory(Path dir, List<Path> created) throws IOException {
        try {
            Files.createDirectory(dir);
            created.add(dir);
        } catch (FileAlreadyExistsException exists) {
            // the shared parent, or the cgroup of a container being created again
        }
    }

    /** Turns on, for the children of {@code level}, the controllers it has and has not delegated yet. */
    private static void delegate(Path level) throws IOException {
        Set<String> available = Set.of(CgroupFiles.read(level.resolve("cgroup.controllers")).split("\\s+"));
        Set<String> enabled = Set.of(CgroupFiles.read(level.resolve("cgroup.subtree_control")).split("\\s+"));
        List<String> missing = DELEGATED.stream()
                .filter(controller -> available.contains(controller) && !enabled.contains(controller))
                .map(controller -> "+" + controller)
                .toList();
        if (!missing.isEmpty()) {
            // EBUSY here means processes sit in this level itself: v2 lets only leaves hold them
            CgroupFiles.write(level.resolve("cgroup.subtree_control"), String.join(" ", missing));
        }
    }
}
