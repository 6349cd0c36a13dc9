package io.berth.engine.runtime.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.berth.engine.runtime.spec.Resources;

/**
 * The v2 implementation against a directory that looks like a cgroup2 mount, since this machine has none: the
 * kernel's control files are plain files here, prepared as the kernel would show them.
 */
class V2CgroupsTest {

    private static final long MIB = 1024 * 1024;

    @TempDir
    Path root;

    private Path container;

    @BeforeEach
    void mimicTheHierarchy() throws IOException {
        files(root, Map.of("cgroup.controllers", "cpuset cpu io memory hugetlb pids rdma misc",
                "cgroup.subtree_control", ""));
        Path berth = Files.createDirectories(root.resolve("berth"));
        files(berth, Map.of("cgroup.controllers", "cpuset cpu io memory hugetlb pids rdma misc",
                "cgroup.subtree_control", ""));
        container = Files.createDirectories(berth.resolve("c1"));
        files(container, Map.ofEntries(
                Map.entry("cgroup.controllers", "cpuset cpu io memory pids"),
                Map.entry("cgroup.procs", ""),
                Map.entry("cgroup.freeze", "0"),
                Map.entry("cgroup.events", "populated 0\nfrozen 0"),
                Map.entry("cgroup.kill", ""),
                Map.entry("memory.max", "max"),
                Map.entry("memory.swap.max", "max"),
                Map.entry("memory.low", "0"),
                Map.entry("memory.current", "1048576"),
                Map.entry("memory.stat", "anon 524288\nfile 262144\nkernel 4096"),
                Map.entry("memory.events", "low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\noom_group_kill 0"),
                Map.entry("cpu.weight", "100"),
                Map.entry("cpu.max", "max 100000"),
                Map.entry("cpu.stat", "usage_usec 2500\nuser_usec 2000\nsystem_usec 500"),
                Map.entry("cpuset.cpus", ""),
                Map.entry("cpuset.mems", ""),
                Map.entry("pids.max", "max"),
                Map.entry("pids.current", "2")));
    }

    @Test
    void createDelegatesControllersAndWritesTheLimits() throws IOException {
        Cgroup cgroup = new V2Cgroups(root).create("/berth/c1", new Resources(
                new Resources.Memory(32 * MIB, 16 * MIB, 96 * MIB, null),
                new Resources.Cpu(1024L, 50_000L, 100_000L, "0", "0"),
                new Resources.Pids(20), null));

        assertEquals("+memory +cpu +pids +cpuset +io", read(root.resolve("cgroup.subtree_control")));
        assertEquals("+memory +cpu +pids +cpuset +io", read(root.resolve("berth/cgroup.subtree_control")));
        assertEquals("33554432", read(container.resolve("memory.max")));
        assertEquals(Long.toString(64 * MIB), read(container.resolve("memory.swap.max")), "swap alone");
        assertEquals("16777216", read(container.resolve("memory.low")));
        assertEquals("39", read(container.resolve("cpu.weight")), "1024 shares as runc maps them");
        assertEquals("50000 100000", read(container.resolve("cpu.max")));
        assertEquals("0", read(container.resolve("cpuset.cpus")));
        assertEquals("20", read(container.resolve("pids.max")));
        assertEquals(List.of(container.resolve("cgroup.procs")), cgroup.procsFiles());
    }

    @Test
    void updateKeepsWhatItIsNotGiven() throws IOException {
        Cgroup cgroup = new V2Cgroups(root).create("/berth/c1", new Resources(
                new Resources.Memory(32 * MIB, null, null, null),
                new Resources.Cpu(null, 50_000L, 20_000L, null, null), null, null));

        cgroup.update(new Resources(new Resources.Memory(null, null, 48 * MIB, null),
                new Resources.Cpu(null, -1L, null, null, null), new Resources.Pids(0), null));

        assertEquals("33554432", read(container.resolve("memory.max")));
        assertEquals(Long.toString(16 * MIB), read(container.resolve("memory.swap.max")));
        assertEquals("max 20000", read(container.resolve("cpu.max")));
        assertEquals("max", read(container.resolve("pids.max")));
        cgroup.update(new Resources(new Resources.Memory(-1L, null, -1L, null), null, null, null));
        assertEquals("max", read(container.resolve("memory.max")));
        assertEquals("max", read(container.resolve("memory.swap.max")));
    }

    @Test
    void swapBelowMemoryIsRefused() throws IOException {
        V2Cgroups cgroups = new V2Cgroups(root);

        IOException refused = assertThrows(IOException.class, () -> cgroups.create("/berth/c1", new Resources(
                new Resources.Memory(64 * MIB, null, 32 * MIB, null), null, null, null)));

        assertTrue(refused.getMessage().contains("below its memory limit"), refused.getMessage());
    }

    @Test
    void statsComeFromTheV2Files() throws IOException {
        Cgroup cgroup = new V2Cgroups(root).open("/berth/c1");
        Files.writeString(container.resolve("memory.max"), "33554432\n");

        assertEquals(new CgroupStats(1048576, 33554432, 262144, 2_500_000, 2, -1), cgroup.stats());
        assertEquals(1, cgroup.oomKills());
    }

    @Test
    void freezeWritesCgroupFreezeAndWaitsForTheEvent() throws IOException {
        Cgroup cgroup = new V2Cgroups(root).open("/berth/c1");
        // the kernel flips "frozen" itself; here it is shown already flipped
        Files.writeString(container.resolve("cgroup.events"), "populated 1\nfrozen 1\n");

        cgroup.freeze();

        assertEquals("1", read(container.resolve("cgroup.freeze")));
        assertTrue(cgroup.frozen());
        cgroup.thaw();
        assertEquals("0", read(container.resolve("cgroup.freeze")));
    }

    @Test
    void pidsIncludeNestedCgroups() throws IOException {
        Files.writeString(container.resolve("cgroup.procs"), "12\n7\n");
        Path nested = Files.createDirectories(container.resolve("init.scope"));
        Files.writeString(nested.resolve("cgroup.procs"), "40\n");

        assertEquals(List.of(7, 12, 40), new V2Cgroups(root).open("/berth/c1").pids());
    }

    @Test
    void destroyUsesCgroupKill() throws IOException {
        V2Cgroup cgroup = new V2Cgroups(root).open("/berth/c1");

        // the directory keeps its (plain) files here, so removing it fails where the kernel's rmdir would not
        assertThrows(IOException.class, cgroup::destroy);

        assertEquals("1", read(container.resolve("cgroup.kill")));
    }

    @Test
    void weightFollowsRunc() {
        assertEquals(1, V2Cgroup.weight(2));
        assertEquals(39, V2Cgroup.weight(1024));
        assertEquals(10000, V2Cgroup.weight(262144));
        assertEquals(1, V2Cgroup.weight(1));
    }

    @Test
    void aMissingControlFileIsNamedInTheError() throws IOException {
        Files.delete(container.resolve("pids.max"));

        IOException missing = assertThrows(IOException.class, () -> new V2Cgroups(root).open("/berth/c1")
                .update(new Resources(null, null, new Resources.Pids(5), null)));

        assertTrue(missing.getMessage().contains("pids.max"), missing.getMessage());
        assertFalse(Files.exists(container.resolve("pids.max")), "no stray file created");
    }

    private static void files(Path dir, Map<String, String> files) throws IOException {
        for (Map.Entry<String, String> file : files.entrySet()) {
            Files.writeString(dir.resolve(file.getKey()), file.getValue());
        }
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file).trim();
    }
}
