package io.berth.engine.runtime;

import java.nio.file.Path;

import io.berth.engine.runtime.berthinit.BerthInitBinary;
import io.berth.engine.runtime.berthinit.NativeRuntime;
import io.berth.engine.runtime.cgroup.CgroupsDetector;

/**
 * Stands in for an Engine JVM in {@link ContainerOutlivesTheEngineTest}: starts one container with the native
 * runtime, says so, and waits to be killed.
 *
 * <p>Arguments: data dir, bundle, state dir, container id.
 */
public final class EngineJvmProbe {

    private EngineJvmProbe() {
    }

    public static void main(String[] args) throws Exception {
        NativeRuntime runtime = new NativeRuntime(BerthInitBinary.install(Path.of(args[0])), CgroupsDetector.detect());
        RuntimeContainer container = runtime.create(args[3], Path.of(args[1]), Path.of(args[2]));
        container.start();
        System.out.println("running " + container.state().pid());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
