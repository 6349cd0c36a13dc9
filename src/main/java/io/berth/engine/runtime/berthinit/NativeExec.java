package io.berth.engine.runtime.berthinit;

import java.io.IOException;
import java.time.Duration;

import io.berth.engine.runtime.ExecProcess;
import io.berth.engine.runtime.StdioConnection;

/**
 * A process berth-init runs inside a running container (or has another runtime run), with its own monitor in its own
 * state dir.
 */
final class NativeExec implements ExecProcess {

    private final MonitorFiles files;

    NativeExec(MonitorFiles files) {
        this.files = files;
    }

    @Override
    public StdioConnection attach() throws IOException {
        return AttachClient.connect(files.socket());
    }

    @Override
    public void start() throws IOException {
        AttachClient.start(files.socket());
    }

    @Override
    public int pid() throws IOException {
        return files.startedAt() == null ? 0 : files.pid();
    }

    @Override
    public Integer awaitExit(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Integer exitCode = files.exitCode();
        while (exitCode == null && System.nanoTime() < deadline) {
            if (!files.monitorAlive()) {
                exitCode = files.exitCode();
                return exitCode == null ? NativeContainer.MONITOR_LOST : exitCode;
            }
            Thread.sleep(10);
            exitCode = files.exitCode();
        }
        return exitCode;
    }

    @Override
    public void kill(int signal) throws IOException {
        files.signal(signal);
    }
}
