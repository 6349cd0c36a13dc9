package io.berth.engine.container;

import java.util.List;

import io.berth.engine.runtime.ExecProcess;
import io.berth.engine.runtime.StdioConnection;

/** One {@code docker exec}: what was asked for at create, and once started its process and exit code. */
final class ExecInstance {

    final String id;
    final String containerId;
    final List<String> cmd;
    final boolean tty;
    final boolean attachStdin;
    final boolean attachStdout;
    final boolean attachStderr;
    final List<String> env;
    final String workingDir;
    final String user;
    final boolean privileged;

    private volatile ExecProcess process;
    private volatile StdioConnection stdio;
    private volatile boolean running;
    private volatile Integer exitCode;
    private volatile int pid;

    ExecInstance(String id, String containerId, List<String> cmd, boolean tty, boolean attachStdin,
            boolean attachStdout, boolean attachStderr, List<String> env, String workingDir, String user,
            boolean privileged) {
        this.id = id;
        this.containerId = containerId;
        this.cmd = cmd;
        this.tty = tty;
        this.attachStdin = attachStdin;
        this.attachStdout = attachStdout;
        this.attachStderr = attachStderr;
        this.env = env;
        this.workingDir = workingDir;
        this.user = user;
        this.privileged = privileged;
    }

    /** Marks the exec started; false if it was started before (an exec runs once). */
    synchronized boolean begin() {
        if (process != null || running || exitCode != null) {
            return false;
        }
        running = true;
        return true;
    }

    void started(ExecProcess started, StdioConnection connection, int startedPid) {
        this.process = started;
        this.stdio = connection;
        this.pid = startedPid;
    }

    void ended(int code) {
        this.exitCode = code;
        this.running = false;
    }

    ExecProcess process() {
        return process;
    }

    StdioConnection stdio() {
        return stdio;
    }

    boolean running() {
        return running;
    }

    Integer exitCode() {
        return exitCode;
    }

    int pid() {
        return pid;
    }
}
