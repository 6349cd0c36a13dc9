package io.berth.engine.runtime.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.berth.engine.runtime.spec.Resources;
import io.berth.support.EngineRequirement;

/** Real cgroups of this machine's kernel (v1 or hybrid here; v2 where CI runs on one), with real processes. */
class CgroupsKernelTest {

    private static final long MIB = 1024 * 1024;

    private Cgroups cgroups;
    private String root;
    private final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void detect() throws IOException {
        EngineRequirement.assumeEngine();
        cgroups = CgroupsDetector.detect();
        root = "/berth-test-" + UUID.randomUUID();
    }

    @AfterEach
    void removeEverything() throws IOException {
        for (Process process : processes) {
            process.destroyForcibly();
        }
        if (cgroups != null) {
            // the container's cgroup is below the test's own root: destroy takes the whole subtree
            cgroups.open(root).destroy();
        }
    }

    @Test
    void detectsTheLayoutMountinfoShows() throws IOException {
        List<String> mounts = Files.readAllLines(Path.of("/proc/self/mountinfo"));
        boolean v1 = mounts.stream().anyMatch(line -> line.contains(" - cgroup ") && line.contains("memory"));
        boolean v2 = mounts.stream().anyMatch(line -> line.contains(" - cgroup2 "));
        CgroupVersion expected = v1 ? (v2 ? CgroupVersion.HYBRID : CgroupVersion.V1) : CgroupVersion.V2;
        assertEquals(expected, cgroups.version());
        assertEquals(expected == CgroupVersion.V2 ? "2" : "1", cgroups.version().dockerVersion());
        assertEquals("cgroupfs", cgroups.driver());
    }

    @Test
    void createsTheCgroupWithItsLimitsAndParents() throws IOException {
        Cgroup cgroup = cgroups.create(root + "/c1", new Resources(
                new Resources.Memory(32 * MIB, null, 64 * MIB, null),
                new Resources.Cpu(512L, 50_000L, 100_000L, null, null),
                new Resources.Pids(20), null));

        assertEquals(root + "/c1", cgroup.path());
        for (Path procs : cgroup.procsFiles()) {
            assertTrue(Files.exists(procs), procs + " exists");
            assertTrue(procs.toString().contains(root.substring(1) + "/c1"), procs.toString());
        }
        if (cgroups.version() == CgroupVersion.V2) {
            Path dir = cgroup.procsFiles().get(0).getParent();
            assertEquals("33554432", read(dir.resolve("memory.max")));
            assertEquals("20", read(dir.resolve("pids.max")));
            assertEquals("50000 100000", read(dir.resolve("cpu.max")));
        } else {
            Path memory = v1("memory", "c1");
            assertEquals("33554432", read(memory.resolve("memory.limit_in_bytes")));
            if (Files.exists(memory.resolve("memory.memsw.limit_in_bytes"))) {
                assertEquals("67108864", read(memory.resolve("memory.memsw.limit_in_bytes")));
            }
            assertEquals("20", read(v1("pids", "c1").resolve("pids.max")));
            assertEquals("50000", read(v1("cpu", "c1").resolve("cpu.cfs_quota_us")));
            assertEquals("100000", read(v1("cpu", "c1").resolve("cpu.cfs_period_us")));
            assertEquals("512", read(v1("cpu", "c1").resolve("cpu.shares")));
        }
        CgroupStats stats = cgroup.stats();
        assertEquals(32 * MIB, stats.memoryLimit());
        assertEquals(20, stats.pidsLimit());
        assertEquals(0, stats.pidsCurrent());
    }

    @Test
    void updatesLimitsGrowingAndShrinkingMemoryWithSwap() throws IOException {
        Cgroup cgroup = cgroups.create(root, new Resources(new Resources.Memory(32 * MIB, null, 64 * MIB, null),
                null, new Resources.Pids(20), null));

        // growing past the old memory+swap works only when memsw is raised first
        cgroup.update(new Resources(new Resources.Memory(128 * MIB, null, 256 * MIB, null), null, null, null));
        assertEquals(128 * MIB, cgroup.stats().memoryLimit());
        // shrinking below the old memory limit works only when memory is lowered first
        cgroup.update(new Resources(new Resources.Memory(16 * MIB, null, 32 * MIB, null), null,
                new Resources.Pids(0), null));
        CgroupStats stats = cgroup.stats();
        assertEquals(16 * MIB, stats.memoryLimit());
        assertEquals(-1, stats.pidsLimit());

        cgroup.update(new Resources(new Resources.Memory(-1L, null, -1L, null), null, null, null));
        assertEquals(-1, cgroup.stats().memoryLimit());
    }

    @Test
    void aJoinedProcessIsListedFrozenThawedCountedAndKilledByDestroy() throws Exception {
        Cgroup cgroup = cgroups.create(root + "/c1", new Resources(new Resources.Memory(32 * MIB, null, null, null),
                new Resources.Cpu(null, 50_000L, 100_000L, null, null), new Resources.Pids(20), null));
        // joins before it execs, so that the pages exec maps are charged to the cgroup (v1 leaves old ones behind)
        Process sleep = startJoined(cgroup, "exec /bin/busybox sleep 1000");
        assertTrue(CgroupFiles.await(java.time.Duration.ofSeconds(30),
                () -> Files.readString(Path.of("/proc/" + sleep.pid() + "/cmdline")).startsWith("/bin/busybox\0sleep")),
                "sleep started");

        assertEquals(List.of((int) sleep.pid()), cgroup.pids());
        assertTrue(Files.readString(Path.of("/proc/" + sleep.pid() + "/cgroup")).contains(root + "/c1"));

        cgroup.freeze();
        assertTrue(cgroup.frozen());
        cgroup.thaw();
        assertFalse(cgroup.frozen());

        CgroupStats stats = cgroup.stats();
        assertTrue(stats.memoryUsage() > 0, "memory usage " + stats.memoryUsage());
        assertTrue(stats.cpuUsageNanos() > 0, "cpu usage " + stats.cpuUsageNanos());
        assertEquals(1, stats.pidsCurrent());
        assertEquals(0, cgroup.oomKills());

        cgroup.destroy();
        assertTrue(sleep.waitFor(30, TimeUnit.SECONDS), "sleep ended");
        assertEquals(137, sleep.exitValue(), "killed by SIGKILL");
        for (Path procs : cgroup.procsFiles()) {
            assertFalse(Files.exists(procs.getParent()), procs.getParent() + " removed");
        }
    }

    @Test
    void aProcessJoinsByWritingItsPidIntoEachProcsFile() throws Exception {
        Cgroup cgroup = cgroups.create(root, new Resources(null, null, new Resources.Pids(20), null));
        Process sleep = start("/bin/busybox", "sleep", "1000");

        for (Path procs : cgroup.procsFiles()) {
            Files.writeString(procs, Long.toString(sleep.pid()));
        }

        assertEquals(List.of((int) sleep.pid()), cgroup.pids());
        assertEquals(1, cgroup.stats().pidsCurrent());
        cgroup.destroy();
        assertTrue(sleep.waitFor(30, TimeUnit.SECONDS), "sleep ended");
        assertEquals(137, sleep.exitValue());
    }

    @Test
    void destroyKillsAFrozenTreeOfProcesses() throws Exception {
        Cgroup cgroup = cgroups.create(root, null);
        Process shell = startJoined(cgroup, "/bin/busybox sleep 1000 & /bin/busybox sleep 1000 & wait");
        assertTrue(CgroupFiles.await(java.time.Duration.ofSeconds(30), () -> cgroup.pids().size() == 3),
                "shell and two sleeps joined: " + cgroup.pids());
        cgroup.freeze();

        cgroup.destroy();

        assertTrue(shell.waitFor(30, TimeUnit.SECONDS));
        assertEquals(137, shell.exitValue());
        assertEquals(List.of(), cgroup.pids());
    }

    @Test
    void theOomKillerKillsAProcessOverTheMemoryLimitAndIsCounted() throws Exception {
        // memory+swap equal to memory: no swapping out of the limit where the machine has swap
        Cgroup cgroup = cgroups.create(root, new Resources(new Resources.Memory(32 * MIB, null, 32 * MIB, null),
                null, null, null));

        Process tail = startJoined(cgroup, "exec /bin/busybox tail /dev/zero");

        assertTrue(tail.waitFor(60, TimeUnit.SECONDS), "tail ended");
        assertEquals(137, tail.exitValue(), "killed by SIGKILL");
        assertTrue(cgroup.oomKills() >= 1, "oom kills " + cgroup.oomKills());
    }

    @Test
    void thePidsLimitMakesForksFail() throws Exception {
        Cgroup cgroup = cgroups.create(root, new Resources(null, null, new Resources.Pids(5), null));

        Process shell = startJoined(cgroup,
                // the sleeps must not hold the shell's output open, or reading it waits for them
                "for i in 1 2 3 4 5 6 7 8 9 10; do /bin/busybox sleep 1000 >/dev/null 2>&1 & done; echo spawned all");

        assertTrue(shell.waitFor(30, TimeUnit.SECONDS), "shell ended");
        String output = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                + new String(shell.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertFalse(output.contains("spawned all"), output);
        assertTrue(output.contains("fork"), output);
        assertTrue(cgroup.stats().pidsCurrent() <= 5);
        assertTrue(cgroup.forksRefused() >= 1, "the kernel counts the refused fork: " + cgroup.forksRefused());
        assertEquals(4, cgroup.pids().size(), "the four sleeps that fit beside the shell: " + cgroup.pids());
    }

    @Test
    void deviceRulesDenyWhatTheyDoNotAllow() throws Exception {
        if (cgroups.version() == CgroupVersion.V2) {
            return; // v2 device rules need eBPF, which the Engine does not load
        }
        Cgroup cgroup = cgroups.create(root, new Resources(null, null, null, List.of(
                new Resources.DeviceRule(false, "a", null, null, "rwm"),
                new Resources.DeviceRule(true, "c", 1L, 3L, "rwm"))));
        assertEquals("c 1:3 rwm", read(v1("devices", null).resolve("devices.list")));

        Process shell = startJoined(cgroup,
                "/bin/busybox cat /dev/null && echo null-ok; /bin/busybox head -c1 /dev/zero || echo zero-denied");

        assertTrue(shell.waitFor(30, TimeUnit.SECONDS));
        String output = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(output.contains("null-ok"), output);
        assertTrue(output.contains("zero-denied"), output);
    }

    @Test
    void openFindsAnExistingCgroupAndDestroyOfAMissingOneIsNoError() throws IOException {
        cgroups.create(root, new Resources(null, null, new Resources.Pids(7), null));

        assertEquals(7, cgroups.open(root).stats().pidsLimit());
        cgroups.open(root + "/never-created").destroy();
    }

    @Test
    void aLimitTheKernelRefusesFailsCreateAndLeavesNothing() {
        IOException refused = assertThrows(IOException.class, () -> cgroups.create(root, new Resources(
                null, new Resources.Cpu(null, 500L, 100L, null, null), null, null)));

        assertTrue(refused.getMessage().contains("cannot write"), refused.getMessage());
        for (Path procs : cgroups.open(root).procsFiles()) {
            assertFalse(Files.exists(procs.getParent()), procs.getParent() + " removed again");
        }
    }

    @Test
    void rejectsPathsThatLeaveTheHierarchy() {
        assertThrows(IllegalArgumentException.class, () -> cgroups.open("/berth/../etc"));
        assertThrows(IllegalArgumentException.class, () -> cgroups.open("berth/x"));
        assertThrows(IllegalArgumentException.class, () -> cgroups.open("/berth//x"));
        assertNotEquals(root, cgroups.open(CgroupPaths.forContainer("x")).path());
    }

    /** A shell that joins every hierarchy of {@code cgroup} before it runs {@code script}. */
    private Process startJoined(Cgroup cgroup, String script) throws IOException {
        List<String> command = new ArrayList<>(List.of("/bin/busybox", "sh", "-c",
                "for f in \"$@\"; do echo $$ > \"$f\" || exit 99; done; " + script, "sh"));
        cgroup.procsFiles().forEach(file -> command.add(file.toString()));
        return start(command.toArray(String[]::new));
    }

    private Process start(String... command) throws IOException {
        Process process = new ProcessBuilder(command).start();
        processes.add(process);
        return process;
    }

    /** The test's cgroup (or {@code child} below it) in the v1 hierarchy of {@code controller}. */
    private Path v1(String controller, String child) {
        Path dir = Path.of("/sys/fs/cgroup", controller, root.substring(1));
        return child == null ? dir : dir.resolve(child);
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file).trim();
    }
}
