package io.berth.engine.runtime.berthinit;

import java.io.IOException;
import java.time.Duration;

import io.berth.engine.runtime.ExecProcess;
import io.berth.engine.runtime.StartFailure;
import io.berth.engine.runtime.StdioConnection;

/**
 * A process berth-init runs inside a running container (or has another runtime run), with its own monitor in its own
 * state dir.
 */
final class NativeExec implements ExecProcess {

    private final MonitorFiles files;
    /** Why start failed, if it did: no process ran, and its exit code is Docker's for that failure. */
    private volatile StartFailure failure;

    NativeExec(MonitorFiles files) {
        this.files = files;
    }

    @Override
    public StdioConnection attach() throws IOException {
        return AttachClient.connect(files.socket());
    }

    @Override
    public void start() throws IOException {
        try {
            AttachClient.start(files.socket());
        } catch (StartFailure e) {
            failure = e;
            throw e;
        }
    }

    @Override
    public int pid() throws IOException {
        return files.startedAt() == null ? 0 : files.pid();
    }

    @Override
    public Integer awaitExit(Duration timeout) throws IOException, InterruptedException {
        if (failure != null) {
            return failure.execExitCode();
        }
        if (!files.awaitEnd(timeout)) {
            return null;
        }
        Integer exitCode = files.exitCode();
        return exitCode == null ? NativeContainer.MONITOR_LOST : exitCode;
    }

    @Override
    public void kill(int signal) throws IOException {
        files.signal(signal);
    }
}
