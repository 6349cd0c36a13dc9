package io.berth.engine.runtime;

import java.nio.file.Path;

import io.berth.engine.runtime.berthinit.BerthInitBinary;
import io.berth.engine.runtime.berthinit.NativeRuntime;
import io.berth.engine.runtime.berthinit.OciCliRuntime;
import io.berth.engine.runtime.cgroup.Cgroups;
import io.berth.engine.runtime.cgroup.CgroupsDetector;

/**
 * Stands in for an Engine JVM in {@link ContainerOutlivesTheEngineTest}: starts one container with the runtime
 * named (native or runc), says so, and waits to be killed.
 *
 * <p>Arguments: runtime, data dir, bundle, state dir, container id.
 */
public final class EngineJvmProbe {

    private EngineJvmProbe() {
    }

    public static void main(String[] args) throws Exception {
        Cgroups cgroups = CgroupsDetector.detect();
        Path dataDir = Path.of(args[1]);
        ContainerRuntime runtime = args[0].equals("native")
                ? new NativeRuntime(BerthInitBinary.install(dataDir), cgroups)
                : OciCliRuntime.install(args[0], dataDir, cgroups);
        RuntimeContainer container = runtime.create(args[4], Path.of(args[2]), Path.of(args[3]));
        container.start();
        System.out.println("running " + container.state().pid());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
