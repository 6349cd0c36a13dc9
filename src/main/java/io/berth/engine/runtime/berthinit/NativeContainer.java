package io.berth.engine.runtime.berthinit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.berth.engine.runtime.ExecProcess;
import io.berth.engine.runtime.RuntimeContainer;
import io.berth.engine.runtime.RuntimeState;
import io.berth.engine.runtime.StdioConnection;
import io.berth.engine.runtime.cgroup.Cgroup;
import io.berth.engine.runtime.cgroup.CgroupStats;
import io.berth.engine.runtime.spec.Process;

/**
 * A container whose monitor is a berth-init process; everything known about it is read from its state dir. The
 * native runtime made it, or (see {@link OciCliContainer}) another runtime berth-init delegated to.
 */
class NativeContainer implements RuntimeContainer {

    /** What a container whose monitor vanished without writing its exit file reports. */
    static final int MONITOR_LOST = 255;

    private static final int SIGKILL = 9;

    private final String id;
    private final MonitorFiles files;
    private final Cgroup cgroup;
    private final Path berthInit;

    NativeContainer(String id, MonitorFiles files, Cgroup cgroup, Path berthInit) {
        this.id = id;
        this.files = files;
        this.cgroup = cgroup;
        this.berthInit = berthInit;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public void start() throws IOException {
        AttachClient.start(files.socket());
    }

    @Override
    public RuntimeState state() throws IOException {
        Integer exitCode = files.exitCode();
        if (exitCode == null && !files.monitorAlive()) {
            exitCode = files.exitCode(); // it may have ended between the two looks
            if (exitCode == null) {
                return new RuntimeState(RuntimeState.Status.STOPPED, 0, MONITOR_LOST, oomKilled(), files.startedAt(),
                        null);
            }
        }
        if (exitCode != null) {
            return new RuntimeState(RuntimeState.Status.STOPPED, 0, exitCode, oomKilled(), files.startedAt(),
                    files.finishedAt());
        }
        var started = files.startedAt();
        RuntimeState.Status status = started == null ? RuntimeState.Status.CREATED
                : cgroup.frozen() ? RuntimeState.Status.PAUSED : RuntimeState.Status.RUNNING;
        return new RuntimeState(status, files.pid(), 0, false, started, null);
    }

    /** Waits for the monitor to end, which it says by ending the stream of a watch on its attach socket. */
    @Override
    public RuntimeState awaitExit(Duration timeout) throws IOException, InterruptedException {
        files.awaitEnd(timeout);
        return state();
    }

    @Override
    public void kill(int signal) throws IOException {
        files.signal(signal);
    }

    @Override
    public StdioConnection attach() throws IOException {
        return AttachClient.connect(files.socket());
    }

    @Override
    public Path logFile() {
        return files.log();
    }

    @Override
    public ExecProcess exec(String execId, Process process, Path execStateDir) throws IOException {
        if (state().status() != RuntimeState.Status.RUNNING) {
            throw new IOException("container " + id + " is not running");
        }
        Files.createDirectories(execStateDir);
        BerthInitCommand.run(berthInit, execPlan(process, execStateDir), "exec", files.dir().toString(),
                execStateDir.toString());
        return new NativeExec(new MonitorFiles(execStateDir));
    }

    /**
     * The plan of berth-init exec: berth-init itself joins the container's namespaces and cgroup, and the process gets
     * the container's seccomp filter.
     */
    String execPlan(Process process, Path execStateDir) throws IOException {
        Path seccomp = files.dir().resolve(NativeRuntime.SECCOMP_FILE);
        return PlanWriter.exec(process, cgroup.procsFiles(), Files.exists(seccomp) ? Files.readString(seccomp) : "");
    }

    /** Removes what the runtime that made the container keeps of it, once its monitor has ended: nothing here. */
    void removeRuntimeState() throws IOException {
    }

    @Override
    public CgroupStats stats() throws IOException {
        return cgroup.stats();
    }

    @Override
    public long forksRefused() throws IOException {
        return cgroup.forksRefused();
    }

    @Override
    public List<Integer> pids() throws IOException {
        return cgroup.pids();
    }

    @Override
    public void pause() throws IOException {
        cgroup.freeze();
    }

    @Override
    public void resume() throws IOException {
        cgroup.thaw();
    }

    @Override
    public void delete() throws IOException {
        if (!files.exists() && !Files.exists(files.dir().resolve(NativeRuntime.CGROUP_FILE))) {
            return; // deleted already
        }
        files.signal(SIGKILL);
        if (cgroup.frozen()) {
            cgroup.thaw(); // a frozen process cannot act on its SIGKILL
        }
        try {
            awaitMonitor(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while deleting container " + id, e);
        }
        removeRuntimeState();
        cgroup.destroy();
        files.remove();
        Files.deleteIfExists(files.dir().resolve(NativeRuntime.SECCOMP_FILE));
        Files.deleteIfExists(files.dir().resolve(NativeRuntime.CGROUP_FILE));
    }

    /** Whether the kernel's OOM killer struck in the container's cgroup (gone after delete: then it did not). */
    private boolean oomKilled() {
        try {
            return cgroup.oomKills() > 0;
        } catch (IOException | RuntimeException gone) {
            return false;
        }
    }

    /** Waits for the monitor to write the exit file and end; kills it if it will not. */
    private void awaitMonitor(Duration timeout) throws IOException, InterruptedException {
        if (!files.awaitEnd(timeout) && files.monitorAlive()) {
            MonitorFiles.POSIX.kill(files.monitorPid(), SIGKILL);
        }
    }
}
