package io.berth.engine.runtime.berthinit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.berth.engine.runtime.cgroup.Cgroup;
import io.berth.engine.runtime.spec.Process;
import io.berth.engine.runtime.spec.SpecJson;

/**
 * A container runc or crun made, its berth-init monitor the parent of its process all the same: state, attach,
 * logs, kill, pause (the cgroup's freezer) and stats work as for a native container. Only exec and the removal of
 * the runtime's own state go through the runtime.
 */
final class OciCliContainer extends NativeContainer {

    private final OciCli cli;

    OciCliContainer(String id, MonitorFiles files, Cgroup cgroup, Path berthInit, OciCli cli) {
        super(id, files, cgroup, berthInit);
        this.cli = cli;
    }

    /** A detached exec: it ends once the process runs, which is the monitor's child from then on. */
    @Override
    String execPlan(Process process, Path execStateDir) throws IOException {
        Path dir = execStateDir.toAbsolutePath();
        Path processFile = Files.writeString(dir.resolve(OciCli.PROCESS_FILE), SpecJson.toJson(process));
        List<String> args = new ArrayList<>(List.of("exec", "--detach", "--pid-file",
                dir.resolve(OciCli.PID_FILE).toString(), "--process", processFile.toString()));
        if (process.terminal()) {
            args.addAll(List.of("--console-socket", OciCli.CONSOLE_SOCKET)); // relative: sun_path is short
        }
        args.add(id());
        return PlanWriter.delegatedExec(process, cli.command(dir, args.toArray(String[]::new)));
    }

    @Override
    void removeRuntimeState() throws IOException {
        cli.delete(id());
    }
}
