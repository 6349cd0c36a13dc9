package io.berth.engine.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import io.berth.engine.runtime.cgroup.CgroupStats;
import io.berth.engine.runtime.spec.Process;

/** A container a {@link ContainerRuntime} created. Thread-safe. */
public interface RuntimeContainer {

    String id();

    /** Lets the created container's first process exec its program. */
    void start() throws IOException;

    RuntimeState state() throws IOException;

    /** Waits at most {@code timeout} for the container to end; its state then (still running if it did not). */
    RuntimeState awaitExit(Duration timeout) throws IOException, InterruptedException;

    /** Sends {@code signal} to the container's first process (the kernel then ends the rest with it). */
    void kill(int signal) throws IOException;

    /**
     * Connects to the container's stdio. Several connections may be open at once; each sees the output produced
     * while it is open. Attach before {@link #start()} to see everything.
     */
    StdioConnection attach() throws IOException;

    /** The json-file log (one {@code {"log","stream","time"}} object a line) the monitor writes. */
    Path logFile();

    /**
     * Prepares {@code process} to run inside the running container (its namespaces and cgroup), keeping its state in
     * {@code execStateDir}; it runs once {@link ExecProcess#start()} is called.
     */
    ExecProcess exec(String execId, Process process, Path execStateDir) throws IOException;

    CgroupStats stats() throws IOException;

    /** How many forks in the container its pids limit refused (the kernel's count, not a sample). */
    long forksRefused() throws IOException;

    /** The host pids of every process in the container. */
    java.util.List<Integer> pids() throws IOException;

    void pause() throws IOException;

    void resume() throws IOException;

    /** Kills the container if it still runs and removes its cgroup and runtime state (not the bundle). */
    void delete() throws IOException;
}
