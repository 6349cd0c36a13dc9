package io.berth.engine.runtime.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.berth.engine.runtime.spec.Resources;

/**
 * A container's cgroup in the v2 hierarchy. Limits follow runc's reading of the OCI spec: a limit of 0 (or null) is
 * not given and leaves the file alone, a negative one means unlimited ({@code max}).
 */
final class V2Cgroup implements Cgroup {

    private static final Logger log = LoggerFactory.getLogger(V2Cgroup.class);

    private final String path;
    private final Path directory;

    V2Cgroup(String path, Path directory) {
        this.path = path;
        this.directory = directory;
    }

    @Override
    public String path() {
        return path;
    }

    Path directory() {
        return directory;
    }

    @Override
    public List<Path> procsFiles() {
        return List.of(directory.resolve("cgroup.procs"));
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
            CgroupFiles.write(directory.resolve("pids.max"), limit <= 0 ? "max" : Long.toString(limit));
        }
        if (resources.devices() != null && !resources.devices().isEmpty()) {
            // v2 filters devices with an eBPF program only; the container's /dev holds just the allowed nodes
            log.warn("device cgroup rules for {} are not enforced: cgroup v2 needs an eBPF device filter, which the"
                    + " Engine does not load", path);
        }
    }

    private void updateMemory(Resources.Memory memory) throws IOException {
        if (given(memory.reservation())) {
            CgroupFiles.write(directory.resolve("memory.low"), limit(memory.reservation()));
        }
        if (given(memory.limit())) {
            // unlike v1, memory.max and memory.swap.max limit different things: no order to keep between them
            CgroupFiles.write(directory.resolve("memory.max"), limit(memory.limit()));
        }
        Path swapFile = directory.resolve("memory.swap.max");
        if (given(memory.swap()) && Files.exists(swapFile)) {
            CgroupFiles.write(swapFile, swapOnly(memory));
        }
        if (Boolean.TRUE.equals(memory.disableOOMKiller())) {
            log.warn("cannot disable the OOM killer for {}: cgroup v2 has no such switch", path);
        }
    }

    /** The spec's swap is memory plus swap; v2's memory.swap.max is the swap alone. */
    private String swapOnly(Resources.Memory memory) throws IOException {
        long swap = memory.swap();
        if (swap < 0) {
            return "max";
        }
        long limit = given(memory.limit()) ? memory.limit()
                : CgroupFiles.readLimit(directory.resolve("memory.max"));
        if (limit < 0) {
            throw new IOException("memory+swap limit " + swap + " for " + path + " needs a memory limit too");
        }
        if (swap < limit) {
            throw new IOException("memory+swap limit " + swap + " for " + path + " is below its memory limit "
                    + limit);
        }
        return Long.toString(swap - limit);
    }

    private void updateCpu(Resources.Cpu cpu) throws IOException {
        if (given(cpu.shares())) {
            CgroupFiles.write(directory.resolve("cpu.weight"), Long.toString(weight(cpu.shares())));
        }
        if (given(cpu.quota()) || given(cpu.period())) {
            // cpu.max holds both; the one not given keeps its current value
            Path file = directory.resolve("cpu.max");
            String[] current = CgroupFiles.read(file).split("\\s+");
            String quota = given(cpu.quota()) ? (cpu.quota() < 0 ? "max" : Long.toString(cpu.quota())) : current[0];
            String period = given(cpu.period()) ? Long.toString(cpu.period()) : current[1];
            CgroupFiles.write(file, quota + " " + period);
        }
        if (cpu.cpus() != null && !cpu.cpus().isBlank()) {
            CgroupFiles.write(directory.resolve("cpuset.cpus"), cpu.cpus());
        }
        if (cpu.mems() != null && !cpu.mems().isBlank()) {
            CgroupFiles.write(directory.resolve("cpuset.mems"), cpu.mems());
        }
    }

    /** v1 shares (2..262144) onto v2 weight (1..10000), as runc maps them. */
    static long weight(long shares) {
        long clamped = Math.max(2, Math.min(262144, shares));
        return 1 + ((clamped - 2) * 9999) / 262142;
    }

    @Override
    public CgroupStats stats() throws IOException {
        return new CgroupStats(
                CgroupFiles.readLong(directory.resolve("memory.current")),
                CgroupFiles.readLimit(directory.resolve("memory.max")),
                CgroupFiles.keyed(directory.resolve("memory.stat"), "file"),
                CgroupFiles.keyed(directory.resolve("cpu.stat"), "usage_usec") * 1000,
                CgroupFiles.readLong(directory.resolve("pids.current")),
                CgroupFiles.readLimit(directory.resolve("pids.max")));
    }

    @Override
    public long oomKills() throws IOException {
        return CgroupFiles.keyed(directory.resolve("memory.events"), "oom_kill");
    }

    @Override
    public long forksRefused() throws IOException {
        return CgroupFiles.keyed(directory.resolve("pids.events"), "max");
    }

    @Override
    public void freeze() throws IOException {
        freeze(V1Cgroup.FREEZE_TIMEOUT);
    }

    private void freeze(Duration timeout) throws IOException {
        CgroupFiles.write(directory.resolve("cgroup.freeze"), "1");
        if (!CgroupFiles.await(timeout, this::frozen)) {
            CgroupFiles.write(directory.resolve("cgroup.freeze"), "0");
            throw new IOException(path + " did not freeze within " + timeout.toSeconds() + " s; thawed it again");
        }
    }

    @Override
    public void thaw() throws IOException {
        CgroupFiles.write(directory.resolve("cgroup.freeze"), "0");
    }

    @Override
    public boolean frozen() throws IOException {
        return CgroupFiles.keyed(directory.resolve("cgroup.events"), "frozen") == 1;
    }

    @Override
    public List<Integer> pids() throws IOException {
        Set<Integer> pids = new TreeSet<>();
        for (Path cgroup : CgroupFiles.subtreeBottomUp(directory)) {
            pids.addAll(CgroupFiles.pids(cgroup.resolve("cgroup.procs")));
        }
        return List.copyOf(pids);
    }

    @Override
    public void destroy() throws IOException {
        if (!Files.isDirectory(directory)) {
            return;
        }
        Path kill = directory.resolve("cgroup.kill");
        if (Files.exists(kill)) {
            // 5.14+: the kernel kills the whole subtree at once, forks included
            CgroupFiles.write(kill, "1");
        } else {
            boolean frozen = false;
            try {
                freeze(V1Cgroup.KILL_FREEZE_TIMEOUT);
                frozen = true;
            } catch (IOException stuck) {
                // kill without freezing: the loop below kills again whatever forks meanwhile
            }
            for (int pid : pids()) {
                Signals.kill(pid);
            }
            if (frozen) {
                thaw();
            }
        }
        Duration timeout = V1Cgroup.EMPTY_TIMEOUT;
        boolean empty = CgroupFiles.await(timeout, () -> {
            List<Integer> left = pids();
            for (int pid : left) {
                Signals.kill(pid);
            }
            return left.isEmpty();
        });
        if (!empty) {
            throw new IOException(path + " still holds processes " + pids() + " " + timeout.toSeconds()
                    + " s after SIGKILL (stuck in uninterruptible sleep?)");
        }
        for (Path cgroup : CgroupFiles.subtreeBottomUp(directory)) {
            CgroupFiles.rmdir(cgroup);
        }
    }

    private static boolean given(Long value) {
        return value != null && value != 0;
    }

    private static String limit(long value) {
        return value < 0 ? "max" : Long.toString(value);
    }
}
