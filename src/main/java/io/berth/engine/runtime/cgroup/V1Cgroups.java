package io.berth.engine.runtime.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.berth.engine.runtime.spec.Resources;

/**
 * cgroup v1: a hierarchy per controller (or per group of controllers, like {@code cpu,cpuacct}). Also serves the
 * hybrid layout, whose cgroup2 mount carries no controller a container needs.
 */
final class V1Cgroups implements Cgroups {

    /** Controllers joined when mounted: devices for device rules, cpuset for --cpuset-cpus, blkio for io stats. */
    private static final List<String> OPTIONAL = List.of("devices", "cpuset", "blkio");

    private final CgroupVersion version;
    private final Map<String, Path> hierarchies;

    /** {@code hierarchies}: where each controller's hierarchy is mounted; it must hold the required ones. */
    V1Cgroups(CgroupVersion version, Map<String, Path> hierarchies) {
        this.version = version;
        Map<String, Path> used = new LinkedHashMap<>();
        for (String controller : CgroupsDetector.V1_REQUIRED) {
            Path mount = hierarchies.get(controller);
            if (mount == null) {
                throw new IllegalArgumentException("no hierarchy for the v1 controller " + controller);
            }
            used.put(controller, mount);
        }
        for (String controller : OPTIONAL) {
            if (hierarchies.containsKey(controller)) {
                used.put(controller, hierarchies.get(controller));
            }
        }
        this.hierarchies = Map.copyOf(used);
    }

    @Override
    public CgroupVersion version() {
        return version;
    }

    @Override
    public String driver() {
        return "cgroupfs";
    }

    @Override
    public Cgroup create(String path, Resources resources) throws IOException {
        V1Cgroup cgroup = open(path);
        List<Path> created = new ArrayList<>();
        try {
            for (Path dir : cgroup.directories()) {
                createWithParents(dir, created);
            }
            if (hierarchies.containsKey("cpuset")) {
                inheritCpuset(hierarchies.get("cpuset"), cgroup.directory("cpuset"));
            }
            cgroup.update(resources);
        } catch (IOException | RuntimeException e) {
            CgroupFiles.removeCreated(created, e);
            throw e;
        }
        return cgroup;
    }

    @Override
    public V1Cgroup open(String path) {
        Map<String, Path> dirs = new LinkedHashMap<>();
        hierarchies.forEach((controller, mount) -> dirs.put(controller, CgroupPaths.resolve(mount, path)));
        return new V1Cgroup(path, dirs);
    }

    /** Creates {@code dir} and its missing parents, noting each one created (parents first). */
    private static void createWithParents(Path dir, List<Path> created) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        createWithParents(dir.getParent(), created);
        try {
            Files.createDirectory(dir);
            created.add(dir);
        } catch (java.nio.file.FileAlreadyExistsException raced) {
            // another container's create made the shared parent meanwhile
        }
    }

    /**
     * A new cpuset cgroup starts with empty {@code cpuset.cpus} and {@code cpuset.mems}, and no task can join it
     * until both are set: each level from the mount down to {@code dir} takes its parent's where it has none.
     */
    private static void inheritCpuset(Path mount, Path dir) throws IOException {
        List<Path> levels = new ArrayList<>();
        for (Path level = dir; !level.equals(mount); level = level.getParent()) {
            levels.add(0, level);
        }
        for (Path level : levels) {
            for (String file : List.of("cpuset.cpus", "cpuset.mems")) {
                if (CgroupFiles.read(level.resolve(file)).isEmpty()) {
                    CgroupFiles.write(level.resolve(file), CgroupFiles.read(level.getParent().resolve(file)));
                }
            }
        }
    }
}
