package io.berth.engine.runtime;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Runs containers from OCI bundles: Berth's native runtime, or runc/crun through their command line. The Engine
 * keeps one state directory per container; a runtime writes there whatever it needs to find the container again
 * after the Engine restarts (the container itself outlives the Engine).
 */
public interface ContainerRuntime {

    /** {@code native}, {@code runc} or {@code crun}, as /info's Runtimes. */
    String name();

    /**
     * Creates container {@code id} from {@code bundle} (its config.json written, its rootfs ready at root.path). On
     * return the container's first process exists in its namespaces and cgroup but has not exec'd its program; its
     * monitor holds its stdio and writes its log to {@link RuntimeContainer#logFile()}. A program that cannot be
     * found fails here, with the message the caller shows.
     */
    RuntimeContainer create(String id, Path bundle, Path stateDir) throws IOException;

    /** The container whose state is in {@code stateDir}, as it is now (running or ended); null if there is none. */
    RuntimeContainer reopen(String id, Path stateDir) throws IOException;
}
