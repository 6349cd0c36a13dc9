package io.berth.engine.runtime.berthinit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import tools.jackson.databind.json.JsonMapper;

import io.berth.engine.runtime.ContainerRuntime;
import io.berth.engine.runtime.RuntimeContainer;
import io.berth.engine.runtime.cgroup.Cgroup;
import io.berth.engine.runtime.cgroup.Cgroups;
import io.berth.engine.runtime.spec.Spec;

/**
 * Berth's own runtime: Java reads the bundle's config.json, creates the cgroup and writes a plan; berth-init
 * creates the namespaces, mounts and process, and a berth-init monitor stays the container's parent, keeping its
 * log, stdio and exit status in the state directory so that a restarted Engine finds the container again.
 */
public final class NativeRuntime implements ContainerRuntime {

    /** The file in a state directory naming the container's cgroup, for {@link #reopen}. */
    static final String CGROUP_FILE = "cgroup.path";

    /** The file in a state directory holding the container's seccomp directives, which its execs get too. */
    static final String SECCOMP_FILE = "seccomp.plan";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path berthInit;
    private final Cgroups cgroups;

    /** @param berthInit the installed helper, see {@link BerthInitBinary#install(Path)} */
    public NativeRuntime(Path berthInit, Cgroups cgroups) {
        this.berthInit = berthInit;
        this.cgroups = cgroups;
    }

    /** The runtime of a node whose data dir is {@code dataDir}: installs berth-init there first. */
    public static NativeRuntime install(Path dataDir, Cgroups cgroups) throws IOException {
        return new NativeRuntime(BerthInitBinary.install(dataDir), cgroups);
    }

    @Override
    public String name() {
        return "native";
    }

    @Override
    public RuntimeContainer create(String id, Path bundle, Path stateDir) throws IOException {
        Spec spec = JSON.readValue(bundle.resolve("config.json").toFile(), Spec.class);
        Files.createDirectories(stateDir);
        var linux = spec.linux();
        String cgroupPath = linux != null && linux.cgroupsPath() != null ? linux.cgroupsPath() : "/berth/" + id;
        Cgroup cgroup = cgroups.create(cgroupPath, linux == null ? null : linux.resources());
        try {
            String plan = PlanWriter.container(spec, bundle, cgroup.procsFiles(), cgroups.version());
            Files.writeString(stateDir.resolve(CGROUP_FILE), cgroupPath);
            Files.writeString(stateDir.resolve(SECCOMP_FILE), PlanWriter.seccomp(linux == null ? null
                    : linux.seccomp()));
            BerthInitCommand.run(berthInit, plan, "create", stateDir.toString());
        } catch (IOException | RuntimeException e) {
            try {
                cgroup.destroy();
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        return new NativeContainer(id, new MonitorFiles(stateDir), cgroup, berthInit);
    }

    @Override
    public RuntimeContainer reopen(String id, Path stateDir) throws IOException {
        MonitorFiles files = new MonitorFiles(stateDir);
        Path cgroupFile = stateDir.resolve(CGROUP_FILE);
        if (!files.exists() || !Files.exists(cgroupFile)) {
            return null;
        }
        Cgroup cgroup = cgroups.open(Files.readString(cgroupFile).trim());
        return new NativeContainer(id, files, cgroup, berthInit);
    }
}
