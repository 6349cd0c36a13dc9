package io.berth.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.berth.engine.runtime.spec.Capabilities;
import io.berth.engine.runtime.spec.ContainerSettings;
import io.berth.engine.runtime.spec.ContainerSettings.BindMount;
import io.berth.engine.runtime.spec.ConsoleSize;
import io.berth.engine.runtime.spec.DockerDefaults;
import io.berth.engine.runtime.spec.Process;
import io.berth.engine.runtime.spec.User;
import io.berth.support.EngineRequirement;

/**
 * Containers of a busybox image pulled from the Hub, run with Docker's spec, checked from the inside: isolation,
 * Docker's capabilities and masks, users, limits, exit codes, stdin, exec, pause. Every runtime must pass the same
 * tests: one subclass a runtime ({@link NativeRuntimeContainersTest}, {@link RuncRuntimeContainersTest}).
 */
abstract class RuntimeContainersTest extends RuntimeIntegrationTest {

    /** Docker's default capability set as /proc/self/status shows it. */
    private static final String DOCKER_CAPS = "00000000a80425fb";

    private static final String NOT_FOUND = "\"no-such-program\": executable file not found in $PATH";

    /**
     * The seccomp lines of /proc/self/status, then a user and mount namespace of its own (what Docker's default profile
     * refuses without CAP_SYS_ADMIN) in which a tmpfs is mounted: "mounted" and probe=0 where that worked.
     */
    private static final String SECCOMP_PROBE = "grep '^Seccomp' /proc/self/status; busybox unshare -U -r -m sh -c "
            + "'mount -t tmpfs none /tmp && echo mounted'; echo probe=$?";

    @Test
    void theProcessIsPid1AndSeesNothingOfTheHost() throws Exception {
        RuntimeFixture.Run run = containers.run(ContainerSettings.builder().hostname("box"), "sh", "-c",
                "echo pid=$$; ps -o pid,comm | tail -n +2 | wc -l; hostname; cat /proc/kcore | wc -c; "
                        + "touch /sys/berth 2>/dev/null || echo sys-ro; mount -t tmpfs none /tmp 2>/dev/null || "
                        + "echo mount-refused; grep -E '^Cap(Eff|Prm|Bnd|Inh)' /proc/self/status");
        assertThat(run.state().exitCode()).isZero();
        List<String> lines = run.stdout().lines().toList();
        assertThat(lines.get(0)).isEqualTo("pid=1");
        // ps sees sh and its pipeline, nothing of the host's hundreds of processes
        assertThat(Integer.parseInt(lines.get(1).strip())).isLessThanOrEqualTo(5);
        assertThat(lines.get(2)).isEqualTo("box");
        assertThat(lines.get(3).strip()).isEqualTo("0");
        assertThat(lines).contains("sys-ro", "mount-refused");
        assertThat(lines).contains("CapInh:\t0000000000000000", "CapPrm:\t" + DOCKER_CAPS, "CapEff:\t" + DOCKER_CAPS,
                "CapBnd:\t" + DOCKER_CAPS);
    }

    @Test
    void userGroupsEnvAndWorkingDirectory() throws Exception {
        RuntimeFixture.Run fromSettings = containers.run(ContainerSettings.builder().user("app").env("GREETING=hi")
                .workingDir("/tmp"), "sh", "-c", "id; echo $GREETING $HOME; pwd");
        assertThat(fromSettings.stdout().lines().toList()).containsExactly(
                "uid=1000(app) gid=1000(app) groups=50(staff),1000(app)", "hi /home/app", "/tmp");

        RuntimeFixture.Run numeric = containers.run(ContainerSettings.builder().user("1234:50"), "id");
        assertThat(numeric.stdout().strip()).isEqualTo("uid=1234 gid=50(staff) groups=50(staff)");
    }

    @Test
    void exitCodesAndSignalsComeBackExactly() throws Exception {
        assertThat(containers.run("sh", "-c", "exit 3").state().exitCode()).isEqualTo(3);

        RuntimeContainer sleeper = containers.create(ContainerSettings.builder().cmd("sleep", "1000").build());
        sleeper.start();
        assertThat(sleeper.state().status()).isEqualTo(RuntimeState.Status.RUNNING);
        sleeper.kill(9);
        RuntimeState killed = sleeper.awaitExit(Duration.ofSeconds(30));
        assertThat(killed.status()).isEqualTo(RuntimeState.Status.STOPPED);
        assertThat(killed.exitCode()).isEqualTo(137);
        assertThat(killed.oomKilled()).isFalse();
    }

    @Test
    void aMemoryLimitOomKillsAndTheRuntimeSaysSo() throws Exception {
        RuntimeFixture.Run run = containers.run(ContainerSettings.builder().memory(32L * 1024 * 1024),
                "tail", "/dev/zero");
        assertThat(run.state().exitCode()).isEqualTo(137);
        assertThat(run.state().oomKilled()).isTrue();
    }

    @Test
    void aPidsLimitContainsAForkBomb() throws Exception {
        RuntimeContainer bomb = containers.create(ContainerSettings.builder().pidsLimit(20L)
                .cmd("sh", "-c", "bomb() { bomb | bomb & }; bomb; sleep 1000").build());
        bomb.start();
        // The bomb reaches the limit and the kernel refuses a fork, as it records (pids.events): a sample of the count
        // may miss the moment, since shells whose fork failed exit while others fork. The host keeps forking.
        await().atMost(Duration.ofSeconds(30)).until(() -> bomb.forksRefused() > 0);
        assertThat(bomb.stats().pidsCurrent()).isLessThanOrEqualTo(20);
        assertThat(bomb.stats().pidsLimit()).isEqualTo(20);
        java.lang.Process host = new ProcessBuilder("/bin/busybox", "true").start();
        assertThat(host.waitFor()).isZero();
        bomb.delete();
        assertThat(bomb.pids()).isEmpty();
    }

    @Test
    void aBindMountOntoASymlinkToEtcLandsInsideTheRootfs() throws Exception {
        Path hostDir = Files.createDirectories(temp.resolve("shared"));
        Files.writeString(hostDir.resolve("marker"), "from the host\n");
        String id = RuntimeFixture.newId();
        Path rootfs = containers.rootfs(id);
        // The image plants /data -> /etc: followed on the host, the bind would cover the host's /etc.
        Files.createSymbolicLink(rootfs.resolve("data"), Path.of("/etc"));
        ContainerSettings settings = ContainerSettings.builder()
                .bind(new BindMount(hostDir, "/data", true))
                .cmd("sh", "-c", "cat /etc/marker; ls /etc | wc -l").build();
        RuntimeContainer container = containers.create(id, settings, containers.stateDir(id));
        try (StdioConnection stdio = container.attach()) {
            container.start();
            RuntimeFixture.Run run = RuntimeFixture.collect(stdio, container);
            // The bind covers the image's /etc: only the host directory's one file is there.
            assertThat(run.stdout().lines().toList()).containsExactly("from the host", "1");
        }
        assertThat(Path.of("/etc/marker")).doesNotExist();
        assertThat(Files.readAllLines(Path.of("/proc/self/mountinfo")))
                .noneMatch(line -> Arrays.asList(line.split(" ")).get(4).equals("/etc"));
    }

    @Test
    void stdinReachesTheProcessAndEndsIt() throws Exception {
        RuntimeContainer cat = containers.create(ContainerSettings.builder().openStdin(true).cmd("cat").build());
        try (StdioConnection stdio = cat.attach()) {
            cat.start();
            byte[] data = "data\n".getBytes();
            stdio.writeStdin(data, 0, data.length);
            stdio.closeStdin();
            RuntimeFixture.Run run = RuntimeFixture.collect(stdio, cat);
            assertThat(run.stdout()).isEqualTo("data\n");
            assertThat(run.state().exitCode()).isZero();
        }
    }

    @Test
    void aMissingProgramFailsCreate() {
        assertThatThrownBy(() -> containers.create(ContainerSettings.builder().cmd("no-such-program").build()))
                .isInstanceOfSatisfying(StartFailure.class, failure -> {
                    assertThat(failure.kind()).isEqualTo(StartFailure.Kind.NOT_FOUND);
                    assertThat(failure.containerExitCode()).isEqualTo(127);
                })
                .hasMessageContaining(NOT_FOUND);
    }

    @Test
    void aProgramThatIsNoExecutableFailsWithPermissionDenied() {
        StartFailure failure = startFailure(ContainerSettings.builder().cmd("/etc/passwd"));
        assertThat(failure.kind()).isEqualTo(StartFailure.Kind.PERMISSION_DENIED);
        assertThat(failure.containerExitCode()).isEqualTo(126);
        assertThat(failure).hasMessageContaining("/etc/passwd");
    }

    @Test
    void aWorkingDirectoryThatIsAFileFailsAsNotADirectory() {
        StartFailure failure = startFailure(ContainerSettings.builder().workingDir("/etc/passwd").cmd("true"));
        assertThat(failure.kind()).isEqualTo(StartFailure.Kind.NOT_A_DIRECTORY);
        assertThat(failure.containerExitCode()).isEqualTo(127);
    }

    /** The failure of creating or starting a container: runtimes find some problems at create, others at start. */
    private StartFailure startFailure(ContainerSettings.Builder settings) {
        Throwable thrown = catchThrowable(() -> {
            RuntimeContainer container = containers.create(settings.build());
            container.start();
        });
        assertThat(thrown).isInstanceOf(StartFailure.class);
        return (StartFailure) thrown;
    }

    @Test
    void execRunsInsideTheRunningContainer() throws Exception {
        RuntimeContainer container = containers.create(ContainerSettings.builder().hostname("box")
                .cmd("sleep", "1000").build());
        container.start();
        ExecProcess exec = container.exec("e1", process(false, new User(1000, 1000, null, null), "sh", "-c",
                "cat /proc/1/cmdline | tr '\\0' ' '; echo; hostname; pwd; id -u; read line; echo got $line; exit 5"),
                temp.resolve("exec-1"));
        assertThat(exec.pid()).isZero();
        try (StdioConnection stdio = exec.attach()) {
            exec.start();
            int pid = exec.pid();
            assertThat(pid).isPositive();
            assertThat(container.pids()).contains(pid);
            byte[] line = "hello\n".getBytes();
            stdio.writeStdin(line, 0, line.length);
            stdio.closeStdin();
            assertThat(RuntimeFixture.demultiplex(stdio.output())[0].lines().toList())
                    .containsExactly("sleep 1000 ", "box", "/tmp", "1000", "got hello");
        }
        assertThat(exec.awaitExit(Duration.ofSeconds(30))).isEqualTo(5);
        assertThat(container.state().status()).isEqualTo(RuntimeState.Status.RUNNING);
    }

    @Test
    void anExecWithATerminal() throws Exception {
        RuntimeContainer container = containers.create(ContainerSettings.builder().cmd("sleep", "1000").build());
        container.start();
        ExecProcess exec = container.exec("tty", process(true, null, "sh", "-c", "busybox tty; busybox stty size; exit 4"),
                temp.resolve("exec-tty"));
        try (StdioConnection stdio = exec.attach()) {
            exec.start();
            String seen = RuntimeFixture.demultiplex(stdio.output())[0];
            assertThat(seen).contains("/dev/pts/").contains("30 100");
        }
        assertThat(exec.awaitExit(Duration.ofSeconds(30))).isEqualTo(4);
    }

    @Test
    void anExecOfAMissingProgramFails() throws Exception {
        RuntimeContainer container = containers.create(ContainerSettings.builder().cmd("sleep", "1000").build());
        container.start();
        ExecProcess exec;
        try {
            exec = container.exec("missing", process(false, null, "no-such-program"), temp.resolve("exec-missing"));
        } catch (StartFailure refused) {
            // The native runtime looks the program up while it prepares the process, as it does on create.
            assertThat(refused).hasMessageContaining(NOT_FOUND);
            assertThat(refused.kind()).isEqualTo(StartFailure.Kind.NOT_FOUND);
            return;
        }
        // runc and crun only look when they run it, on start; the exec then ends as Docker reports it.
        assertThatThrownBy(exec::start).isInstanceOfSatisfying(StartFailure.class,
                failure -> assertThat(failure.kind()).isEqualTo(StartFailure.Kind.NOT_FOUND))
                .hasMessageContaining(NOT_FOUND);
        assertThat(exec.awaitExit(Duration.ofSeconds(30))).isEqualTo(127);
    }

    @Test
    void containersGetDockersDefaultSeccompProfileAndUnconfinedOnesNone() throws Exception {
        EngineRequirement.assumeSeccomp();
        RuntimeFixture.Run confined = containers.run(ContainerSettings.builder(), "sh", "-c", SECCOMP_PROBE);
        assertThat(confined.stdout()).contains("Seccomp:\t2\n", "Seccomp_filters:\t1\n", "probe=1")
                .doesNotContain("mounted");
        assertThat(confined.stderr()).contains("Operation not permitted");

        RuntimeFixture.Run unconfined = containers.run(ContainerSettings.builder().seccomp("unconfined"), "sh", "-c",
                SECCOMP_PROBE);
        assertThat(unconfined.stdout()).contains("Seccomp:\t0\n", "mounted", "probe=0");

        RuntimeFixture.Run privileged = containers.run(ContainerSettings.builder().privileged(true), "sh", "-c",
                SECCOMP_PROBE);
        assertThat(privileged.stdout()).contains("Seccomp:\t0\n", "mounted", "probe=0");

        // with no_new_privs the filter is loaded as the last step; the profile is the same
        RuntimeFixture.Run noNewPrivs = containers.run(ContainerSettings.builder().noNewPrivileges(true), "sh", "-c",
                "grep -E '^(NoNewPrivs|Seccomp):' /proc/self/status; " + SECCOMP_PROBE);
        assertThat(noNewPrivs.stdout()).contains("NoNewPrivs:\t1\n", "Seccomp:\t2\n", "probe=1");
    }

    @Test
    void aProfileOfItsOwnAppliesToTheContainerAndToItsExecs() throws Exception {
        EngineRequirement.assumeSeccomp();
        String denyMkdir = "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"mkdir\",\"mkdirat\"],"
                + "\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":1}]}";
        String mkdir = "mkdir /tmp/made; echo mkdir=$?; grep '^Seccomp:' /proc/self/status";
        RuntimeFixture.Run refused = containers.run(ContainerSettings.builder().seccomp(denyMkdir), "sh", "-c", mkdir);
        assertThat(refused.stdout()).contains("mkdir=1", "Seccomp:\t2");
        assertThat(refused.stderr()).contains("Operation not permitted");
        assertThat(containers.run(ContainerSettings.builder(), "sh", "-c", mkdir).stdout()).contains("mkdir=0");

        RuntimeContainer container = containers.create(ContainerSettings.builder().seccomp(denyMkdir)
                .cmd("sleep", "1000").build());
        container.start();
        ExecProcess exec = container.exec("mkdir", process(false, null, "sh", "-c", mkdir), temp.resolve("exec-mkdir"));
        try (StdioConnection stdio = exec.attach()) {
            exec.start();
            stdio.closeStdin();
            String[] output = RuntimeFixture.demultiplex(stdio.output());
            assertThat(output[0]).contains("mkdir=1", "Seccomp:\t2");
            assertThat(output[1]).contains("Operation not permitted");
        }
        assertThat(exec.awaitExit(Duration.ofSeconds(30))).isZero();

        RuntimeContainer plain = containers.create(ContainerSettings.builder().cmd("sleep", "1000").build());
        plain.start();
        ExecProcess probe = plain.exec("probe", process(false, null, "sh", "-c", SECCOMP_PROBE),
                temp.resolve("exec-probe"));
        try (StdioConnection stdio = probe.attach()) {
            probe.start();
            stdio.closeStdin();
            assertThat(RuntimeFixture.demultiplex(stdio.output())[0]).contains("Seccomp:\t2\n", "probe=1");
        }
    }

    @Test
    void pauseFreezesAndResumeThaws() throws Exception {
        RuntimeContainer container = containers.create(ContainerSettings.builder()
                .cmd("sh", "-c", "while true; do echo tick; sleep 0.05; done").build());
        container.start();
        container.pause();
        assertThat(container.state().status()).isEqualTo(RuntimeState.Status.PAUSED);
        container.resume();
        assertThat(container.state().status()).isEqualTo(RuntimeState.Status.RUNNING);
        long logged = Files.size(container.logFile());
        await("the log grows again").atMost(Duration.ofSeconds(30)).until(() -> Files.size(container.logFile()) > logged);
    }

    /** A process for exec, in /tmp, with Docker's capabilities. */
    private static Process process(boolean terminal, User user, String... args) {
        return new Process(terminal, terminal ? new ConsoleSize(30, 100) : null, user, List.of(args),
                List.of("PATH=" + DockerDefaults.PATH), "/tmp", new Capabilities(DockerDefaults.CAPABILITIES,
                        DockerDefaults.CAPABILITIES, null, DockerDefaults.CAPABILITIES, null), null, false, null);
    }
}
