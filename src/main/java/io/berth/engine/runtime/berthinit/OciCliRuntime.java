package io.berth.engine.runtime.berthinit;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import io.berth.engine.runtime.ContainerRuntime;
import io.berth.engine.runtime.RuntimeContainer;
import io.berth.engine.runtime.cgroup.Cgroup;
import io.berth.engine.runtime.cgroup.CgroupVersion;
import io.berth.engine.runtime.cgroup.Cgroups;
import io.berth.engine.runtime.spec.Spec;
import io.berth.engine.runtime.spec.SpecJson;

/**
 * runc or crun given the bundles the native runtime runs ({@code berth.engine.runtime=runc|crun}). The runtime makes
 * the namespaces, mounts, cgroup and process; a berth-init monitor (DELEGATE mode, see src/main/c/delegate.c) runs its
 * create, start and exec commands and stays the parent of the process, so that stdio, the json-file log, attach, the
 * exit status and the Engine's restarts work exactly as for native containers. It lives beside the native runtime
 * because all of that is berth-init's: only the step that makes the process differs.
 */
public final class OciCliRuntime implements ContainerRuntime {

    /** Where the runtime is looked for after the PATH: Debian puts runc in /usr/sbin, crun in /usr/bin. */
    private static final List<Path> SYSTEM_DIRS = List.of(Path.of("/usr/sbin"), Path.of("/usr/bin"));

    private final OciCli cli;
    private final Path berthInit;
    private final Cgroups cgroups;

    /**
     * @param binary    the runtime's executable
     * @param stateRoot the runtime's {@code --root}, Berth's alone
     * @param berthInit the installed helper, see {@link BerthInitBinary#install(Path)}
     */
    public OciCliRuntime(String name, Path binary, Path stateRoot, Path berthInit, Cgroups cgroups) {
        this.cli = new OciCli(name, binary, stateRoot);
        this.berthInit = berthInit;
        this.cgroups = cgroups;
    }

    /**
     * The runtime {@code name} of a node whose data dir is {@code dataDir}: berth-init installed there, the runtime's
     * state under {@code <data-dir>/engine/<name>}. Fails with what to do when the runtime is missing or cannot run
     * on this machine's cgroups.
     */
    public static OciCliRuntime install(String name, Path dataDir, Cgroups cgroups) throws IOException {
        if (!name.equals("runc") && !name.equals("crun")) {
            throw new IllegalArgumentException("not an OCI runtime Berth drives: " + name + " (runc or crun)");
        }
        if (name.equals("crun") && cgroups.version() == CgroupVersion.HYBRID) {
            throw new IllegalStateException("berth.engine.runtime=crun cannot run containers on this machine: crun "
                    + "refuses the hybrid cgroup layout it has (cgroup v1 controllers beside a cgroup2 mount; crun says"
                    + " \"cgroups in hybrid mode not supported\"). Use berth.engine.runtime=native or runc here.");
        }
        Path binary = find(name).orElseThrow(() -> new IllegalStateException("berth.engine.runtime=" + name + ": "
                + name + " is not installed (looked in the PATH, /usr/sbin and /usr/bin); apt-get install " + name));
        Path root = dataDir.resolve("engine").resolve(name);
        if (!Files.isDirectory(root)) {
            Files.createDirectories(root,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        return new OciCliRuntime(name, binary, root.toAbsolutePath(), BerthInitBinary.install(dataDir), cgroups);
    }

    @Override
    public String name() {
        return cli.name();
    }

    @Override
    public RuntimeContainer create(String id, Path bundle, Path stateDir) throws IOException {
        Spec spec = SpecJson.read(bundle);
        if (spec.process() == null) {
            throw new IOException("the spec in " + bundle + " has no process");
        }
        // Without one the runtime nests the container under its own cgroup, in each v1 hierarchy apart.
        if (spec.linux() == null || spec.linux().cgroupsPath() == null || !spec.linux().cgroupsPath().startsWith("/")) {
            throw new IOException("the spec in " + bundle + " has no absolute linux.cgroupsPath, which " + cli.name()
                    + " needs for the Engine to find the container's cgroup");
        }
        if (Files.exists(cli.root().resolve(id))) { // and a failed create below must not delete that one
            throw new IOException(cli.name() + " already has a container " + id + " (in " + cli.root() + ")");
        }
        Path state = Files.createDirectories(stateDir).toAbsolutePath();
        MonitorFiles files = new MonitorFiles(state);
        List<String> create = new ArrayList<>(List.of("create", "--bundle", bundle.toAbsolutePath().toString(),
                "--pid-file", state.resolve(OciCli.PID_FILE).toString()));
        if (spec.process().terminal()) {
            // Absolute (create works in the bundle dir) and short enough for sun_path; the monitor listens there.
            create.addAll(List.of("--console-socket",
                    AttachClient.reachable(state.resolve(OciCli.CONSOLE_SOCKET)).toString()));
        }
        create.add(id);
        boolean openStdin = spec.annotations() != null
                && "open".equals(spec.annotations().get(PlanWriter.STDIN_ANNOTATION));
        String plan = PlanWriter.delegatedContainer(spec.process(), openStdin,
                cli.command(state, create.toArray(String[]::new)), cli.command(state, "start", id));
        Cgroup cgroup;
        try {
            int pid = BerthInitCommand.run(berthInit, plan, "create", state.toString());
            cgroup = cgroups.open(cgroupOf(pid)); // the spec's path, as the runtime resolved it
            Files.writeString(state.resolve(NativeRuntime.CGROUP_FILE), cgroup.path());
        } catch (IOException | RuntimeException e) {
            try {
                cli.delete(id); // whatever the runtime made before it failed
                files.remove();
                Files.deleteIfExists(state.resolve(NativeRuntime.CGROUP_FILE));
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        return new OciCliContainer(id, files, cgroup, berthInit, cli);
    }

    @Override
    public RuntimeContainer reopen(String id, Path stateDir) throws IOException {
        MonitorFiles files = new MonitorFiles(stateDir.toAbsolutePath());
        Path cgroupFile = files.dir().resolve(NativeRuntime.CGROUP_FILE);
        if (!files.exists() || !Files.exists(cgroupFile)) {
            return null;
        }
        return new OciCliContainer(id, files, cgroups.open(Files.readString(cgroupFile).trim()), berthInit, cli);
    }

    /** The cgroup of process {@code pid} as the Engine names cgroups: its pids hierarchy's (v1), or its v2 one. */
    private String cgroupOf(int pid) throws IOException {
        String controller = cgroups.version() == CgroupVersion.V2 ? "" : "pids";
        for (String line : Files.readAllLines(Path.of("/proc", Integer.toString(pid), "cgroup"))) {
            String[] fields = line.split(":", 3); // hierarchy-ID:controller-list:cgroup-path
            if (fields.length == 3 && List.of(fields[1].split(",")).contains(controller)) {
                return fields[2];
            }
        }
        throw new IOException("no " + (controller.isEmpty() ? "cgroup v2" : controller) + " cgroup in /proc/" + pid
                + "/cgroup");
    }

    private static Optional<Path> find(String name) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        return Stream.concat(Stream.of(path.split(File.pathSeparator)).filter(d -> !d.isEmpty()).map(Path::of),
                SYSTEM_DIRS.stream())
                .map(dir -> dir.resolve(name))
                .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p))
                .findFirst();
    }
}
