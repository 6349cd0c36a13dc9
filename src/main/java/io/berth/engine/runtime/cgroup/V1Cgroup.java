package io.berth.engine.runtime.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.LockSupport;

import io.berth.engine.runtime.spec.Resources;

/**
 * A container's cgroup in each v1 hierarchy. Limits follow runc's reading of the OCI spec: a limit of 0 (or null) is
 * not given and leaves the file alone, a negative one means unlimited.
 */
final class V1Cgroup implements Cgroup {

    /** v1 reports "no memory limit" as the largest page-aligned long; anything this large is no limit. */
    private static final long UNLIMITED_THRESHOLD = Long.MAX_VALUE / 2;

    /**
     * How long pause waits for every task to stop: a bound for a stuck freezer, not an expected time (on a loaded
     * machine a sleeping task freezes only when it next gets a CPU).
     */
    static final Duration FREEZE_TIMEOUT = Duration.ofSeconds(30);
    /** How long removal tries the freezer before killing without it. */
    static final Duration KILL_FREEZE_TIMEOUT = Duration.ofSeconds(5);
    /** How long the v1 freezer may stay FREEZING before it is thawed and asked again. */
    private static final Duration FREEZE_RETRY = Duration.ofMillis(500);
    private static final Duration POLL = Duration.ofMillis(5);
    static final Duration EMPTY_TIMEOUT = Duration.ofSeconds(10);

    private final String path;
    private final Map<String, Path> directories;

    V1Cgroup(String path, Map<String, Path> directories) {
        this.path = path;
        this.directories = Map.copyOf(directories);
    }

    @Override
    public String path() {
        return path;
    }

    /** Each hierarchy's directory once, though several controllers may share a hierarchy. */
    List<Path> directories() {
        return List.copyOf(new TreeSet<>(directories.values()));
    }

    /** This cgroup's directory in {@code controller}'s hierarchy. */
    Path directory(String controller) {
        Path dir = directories.get(controller);
        if (dir == null) {
            throw new IllegalStateException("the v1 controller " + controller + " is not mounted on this machine");
        }
        return dir;
    }

    @Override
    public List<Path> procsFiles() {
        return directories().stream().map(dir -> dir.resolve("cgroup.procs")).toList();
    }

    @Override
    public void update(Resources resources) throws IOException {
        if (resources == null) {
            return;
        }
        if (resources.memory() != null) {
            updateMemory(resources.memory());
        }
        if (resources.cpu() != null) {
            updateCpu(resources.cpu());
        }
        if (resources.pids() != null) {
            long limit = resources.pids().limit();
            CgroupFiles.write(directory("pids").resolve("pids.max"), limit <= 0 ? "max" : Long.toString(limit));
        }
        if (resources.devices() != null) {
            for (Resources.DeviceRule rule : resources.devices()) {
                CgroupFiles.write(directory("devices").resolve(rule.allow() ? "devices.allow" : "devices.deny"),
                        DeviceRules.v1(rule));
            }
        }
    }

    private void updateMemory(Resources.Memory memory) throws IOException {
        Path dir = directory("memory");
        Path limitFile = dir.resolve("memory.limit_in_bytes");
        Path swapFile = dir.resolve("memory.memsw.limit_in_bytes");
        if (given(memory.reservation())) {
            CgroupFiles.write(dir.resolve("memory.soft_limit_in_bytes"), limitText(memory.reservation()));
        }
        Long limit = given(memory.limit()) ? memory.limit() : null;
        // without swap accounting (no memsw file) the kernel cannot limit swap; the memory limit still holds
        Long swap = given(memory.swap()) && Files.exists(swapFile) ? memory.swap() : null;
        if (limit != null && swap != null) {
            // memory must stay at most memory+swap after each write: grow memsw first, shrink memory first
            long current = CgroupFiles.readLong(limitFile);
            if (swap < 0 || current < swap) {
                CgroupFiles.write(swapFile, limitText(swap));
                CgroupFiles.write(limitFile, limitText(limit));
            } else {
                CgroupFiles.write(limitFile, limitText(limit));
                CgroupFiles.write(swapFile, limitText(swap));
            }
        } else if (limit != null) {
            if (Files.exists(swapFile) && limit > 0) {
                long memsw = CgroupFiles.readLong(swapFile);
                if (memsw < UNLIMITED_THRESHOLD && limit > memsw) {
                    throw new IOException("memory limit " + limit + " is above the memory+swap limit " + memsw
                            + " of " + path + "; give a swap limit with it");
                }
            }
            CgroupFiles.write(limitFile, limitText(limit));
        } else if (swap != null) {
            CgroupFiles.write(swapFile, limitText(swap));
        }
        if (memory.disableOOMKiller() != null) {
            CgroupFiles.write(dir.resolve("memory.oom_control"), memory.disableOOMKiller() ? "1" : "0");
        }
    }

    private void updateCpu(Resources.Cpu cpu) throws IOException {
        Path dir = directory("cpu");
        if (given(cpu.shares())) {
            CgroupFiles.write(dir.resolve("cpu.shares"), Long.toString(cpu.shares()));
        }
        boolean quotaWritten = false;
        if (given(cpu.period())) {
            try {
                CgroupFiles.write(dir.resolve("cpu.cfs_period_us"), Long.toString(cpu.period()));
            } catch (IOException rejected) {
                // a shorter period can make the old quota exceed what the parent allows: set the quota first
                if (!given(cpu.quota())) {
                    throw rejected;
                }
                CgroupFiles.write(dir.resolve("cpu.cfs_quota_us"), limitText(cpu.quota()));
                CgroupFiles.write(dir.resolve("cpu.cfs_period_us"), Long.toString(cpu.period()));
                quotaWritten = true;
            }
        }
        if (given(cpu.quota()) && !quotaWritten) {
            CgroupFiles.write(dir.resolve("cpu.cfs_quota_us"), limitText(cpu.quota()));
        }
        if (cpu.cpus() != null && !cpu.cpus().isBlank()) {
            CgroupFiles.write(directory("cpuset").resolve("cpuset.cpus"), cpu.cpus());
        }
        if (cpu.mems() != null && !cpu.mems().isBlank()) {
            CgroupFiles.write(directory("cpuset").resolve("cpuset.mems"), cpu.mems());
        }
    }

    @Override
    public CgroupStats stats() throws IOException {
        Path memory = directory("memory");
        long limit = CgroupFiles.readLong(memory.resolve("memory.limit_in_bytes"));
        return new CgroupStats(
                CgroupFiles.readLong(memory.resolve("memory.usage_in_bytes")),
                limit >= UNLIMITED_THRESHOLD ? -1 : limit,
                CgroupFiles.keyed(memory.resolve("memory.stat"), "total_cache"),
                CgroupFiles.readLong(directory("cpuacct").resolve("cpuacct.usage")),
                CgroupFiles.readLong(directory("pids").resolve("pids.current")),
                CgroupFiles.readLimit(directory("pids").resolve("pids.max")));
    }

    @Override
    public long oomKills() throws IOException {
        Path file = directory("memory").resolve("memory.oom_control");
        try {
            return CgroupFiles.keyed(file, "oom_kill");
        } catch (IOException e) {
            throw new IOException(file + " has no oom_kill count: the kernel is older than 4.13", e);
        }
    }

    @Override
    public long forksRefused() throws IOException {
        return CgroupFiles.keyed(directory("pids").resolve("pids.events"), "max");
    }

    @Override
    public void freeze() throws IOException {
        freeze(FREEZE_TIMEOUT);
    }

    private void freeze(Duration timeout) throws IOException {
        Path state = directory("freezer").resolve("freezer.state");
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long thawAt = start + FREEZE_RETRY.toNanos();
        // FREEZING lasts until every task has stopped. The v1 freezer can stay there while tasks fork or join the
        // cgroup (runc saw it too): asking again, and every so often thawing first, lets it catch up.
        while (true) {
            CgroupFiles.write(state, "FROZEN");
            if (CgroupFiles.read(state).equals("FROZEN")) {
                return;
            }
            long now = System.nanoTime();
            if (now - deadline > 0) {
                break;
            }
            if (now - thawAt > 0) {
                CgroupFiles.write(state, "THAWED");
                thawAt = now + FREEZE_RETRY.toNanos();
            }
            LockSupport.parkNanos(POLL.toNanos());
        }
        CgroupFiles.write(state, "THAWED");
        throw new IOException(path + " did not freeze within " + timeout.toSeconds() + " s (still FREEZING; thawed "
                + "it again)");
    }

    @Override
    public void thaw() throws IOException {
        CgroupFiles.write(directory("freezer").resolve("freezer.state"), "THAWED");
    }

    @Override
    public boolean frozen() throws IOException {
        return CgroupFiles.read(directory("freezer").resolve("freezer.state")).equals("FROZEN");
    }

    @Override
    public List<Integer> pids() throws IOException {
        Set<Integer> pids = new TreeSet<>();
        for (Path dir : directories()) {
            for (Path cgroup : CgroupFiles.subtreeBottomUp(dir)) {
                pids.addAll(CgroupFiles.pids(cgroup.resolve("cgroup.procs")));
            }
        }
        return List.copyOf(pids);
    }

    @Override
    public void destroy() throws IOException {
        if (directories().stream().noneMatch(Files::isDirectory)) {
            return;
        }
        if (!pids().isEmpty()) { // else (a container that ended) there is nothing to kill, nor to fork meanwhile
            killAll();
        }
        for (Path dir : directories()) {
            for (Path cgroup : CgroupFiles.subtreeBottomUp(dir)) {
                CgroupFiles.rmdir(cgroup);
            }
        }
    }

    private void killAll() throws IOException {
        // frozen, nothing can fork between reading the pids and killing them; the kills land at the thaw
        boolean frozen = false;
        if (Files.isDirectory(directory("freezer"))) {
            try {
                freeze(KILL_FREEZE_TIMEOUT);
                frozen = true;
            } catch (IOException stuck) {
                // kill without the freezer: the loop below kills again whatever forks meanwhile
            }
        }
        for (int pid : pids()) {
            Signals.kill(pid);
        }
        if (frozen) {
            thaw();
        }
        boolean empty = CgroupFiles.await(EMPTY_TIMEOUT, () -> {
            List<Integer> left = pids();
            for (int pid : left) {
                Signals.kill(pid);
            }
            return left.isEmpty();
        });
        if (!empty) {
            throw new IOException(path + " still holds processes " + pids() + " " + EMPTY_TIMEOUT.toSeconds()
                    + " s after SIGKILL (stuck in uninterruptible sleep?)");
        }
    }

    private static boolean given(Long value) {
        return value != null && value != 0;
    }

    /** A v1 limit file's text: -1 for unlimited (it reads back as the largest value, not as -1). */
    private static String limitText(long value) {
        return value < 0 ? "-1" : Long.toString(value);
    }

}
