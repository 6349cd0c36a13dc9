package io.berth.engine.runtime.cgroup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import io.berth.engine.runtime.spec.Resources;

/** One container's cgroup, in every hierarchy the Engine uses. */
public interface Cgroup {

    String path();

    /** The {@code cgroup.procs} files a process writes its pid into to join this cgroup (one per hierarchy). */
    List<Path> procsFiles();

    /** Changes limits in place ({@code docker update}); null fields are left as they are. */
    void update(Resources resources) throws IOException;

    CgroupStats stats() throws IOException;

    /** How many times the kernel's OOM killer killed a process in this cgroup. */
    long oomKills() throws IOException;

    /** How many forks the pids limit refused: the kernel's own count ({@code pids.events}, {@code max}). */
    long forksRefused() throws IOException;

    void freeze() throws IOException;

    void thaw() throws IOException;

    boolean frozen() throws IOException;

    /** The host pids of every process in the cgroup. */
    List<Integer> pids() throws IOException;

    /** Kills what is left in it (SIGKILL), waits until it is empty and removes it from every hierarchy. */
    void destroy() throws IOException;
}
