package io.berth.engine.runtime.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layout detection from mountinfo lines as the kernel writes them, for each kind of machine. */
class CgroupLayoutTest {

    private static final List<String> HYBRID = List.of(
            "30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755",
            "31 30 0:28 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu",
            "32 30 0:29 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct",
            "33 30 0:30 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset",
            "34 30 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory",
            "35 30 0:32 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices",
            "36 30 0:33 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer",
            "38 30 0:35 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids",
            "39 30 0:36 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd",
            "40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw");

    @Test
    void hybridIsV1ControllersBesideACgroup2Mount() {
        CgroupLayout layout = CgroupLayout.parse(HYBRID);

        assertEquals(CgroupVersion.HYBRID, layout.version());
        assertEquals(Path.of("/sys/fs/cgroup/memory"), layout.controllers().get("memory"));
        assertEquals(Path.of("/sys/fs/cgroup/unified"), layout.unified());
        assertEquals(7, layout.controllers().size(), "name=systemd is no controller: " + layout.controllers());
    }

    @Test
    void v1WithJointCpuMountsBothControllersInOneHierarchy() {
        CgroupLayout layout = CgroupLayout.parse(List.of(
                "25 24 0:22 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid shared:9 - cgroup cgroup rw,cpu,cpuacct",
                "26 24 0:23 / /sys/fs/cgroup/memory rw,nosuid shared:10 - cgroup cgroup rw,memory"));

        assertEquals(CgroupVersion.V1, layout.version());
        assertEquals(Path.of("/sys/fs/cgroup/cpu,cpuacct"), layout.controllers().get("cpu"));
        assertEquals(Path.of("/sys/fs/cgroup/cpu,cpuacct"), layout.controllers().get("cpuacct"));
        assertNull(layout.unified());
    }

    @Test
    void v2IsOneCgroup2MountAndNoV1Controller() {
        CgroupLayout layout = CgroupLayout.parse(List.of(
                "22 21 0:20 / /sys/fs/cgroup rw,nosuid,nodev,noexec shared:4 - cgroup2 cgroup2 rw,nsdelegate",
                "23 21 0:21 / /sys/fs/cgroup/systemd rw - cgroup cgroup rw,name=systemd"));

        assertEquals(CgroupVersion.V2, layout.version());
        assertEquals(Path.of("/sys/fs/cgroup"), layout.unified());
    }

    @Test
    void aWholeHierarchyWinsOverABindMountOfPartOfIt() {
        CgroupLayout layout = CgroupLayout.parse(List.of(
                "50 24 0:23 /docker/abc /mnt/mem\\040cg rw - cgroup cgroup rw,memory",
                "26 24 0:23 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory",
                "51 24 0:24 /docker/abc /mnt/pids rw - cgroup cgroup rw,pids"));

        assertEquals(Path.of("/sys/fs/cgroup/memory"), layout.controllers().get("memory"));
        assertEquals(Path.of("/mnt/pids"), layout.controllers().get("pids"));
    }

    @Test
    void noCgroupMountIsAClearError() {
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> CgroupLayout.parse(List.of(
                "30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755")));

        assertTrue(error.getMessage().contains("no cgroup filesystem"), error.getMessage());
    }

    @Test
    void missingV1ControllersAreExplained(@TempDir Path dir) throws IOException {
        Path mountinfo = Files.write(dir.resolve("mountinfo"), HYBRID.stream()
                .filter(line -> !line.contains("freezer") && !line.contains("cpuacct")).toList());
        Path procCgroups = Files.write(dir.resolve("cgroups"), List.of(
                "#subsys_name\thierarchy\tnum_cgroups\tenabled",
                "cpu\t1\t1\t1", "cpuacct\t0\t1\t1", "memory\t4\t58\t1", "freezer\t0\t1\t0", "pids\t8\t1\t1"));

        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> CgroupsDetector.detect(mountinfo, procCgroups));

        assertTrue(error.getMessage().contains("freezer: disabled at boot"), error.getMessage());
        assertTrue(error.getMessage().contains("cpuacct: attached to the cgroup2 hierarchy"), error.getMessage());
    }

    @Test
    void v2WithoutTheMemoryControllerIsRefused(@TempDir Path dir) throws IOException {
        Path mount = Files.createDirectories(dir.resolve("cg2"));
        Files.writeString(mount.resolve("cgroup.controllers"), "cpu pids\n");
        Path mountinfo = Files.write(dir.resolve("mountinfo"), List.of(
                "22 21 0:20 / " + mount + " rw - cgroup2 cgroup2 rw"));

        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> CgroupsDetector.detect(mountinfo, dir.resolve("none")));

        assertTrue(error.getMessage().contains("[memory]"), error.getMessage());
        Files.writeString(mount.resolve("cgroup.controllers"), "cpu memory pids\n");
        assertInstanceOf(V2Cgroups.class, CgroupsDetector.detect(mountinfo, dir.resolve("none")));
    }
}
