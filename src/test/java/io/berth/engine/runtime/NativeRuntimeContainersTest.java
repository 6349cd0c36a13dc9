package io.berth.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.berth.engine.runtime.spec.ContainerSettings;
import io.berth.engine.runtime.spec.ContainerSettings.BindMount;

/**
 * Containers of a busybox image pulled from the Hub, run by the Engine's runtime with Docker's spec, checked from the
 * inside: isolation, Docker's capabilities and masks, users, limits, exit codes.
 */
class NativeRuntimeContainersTest extends RuntimeIntegrationTest {

    /** Docker's default capability set as /proc/self/status shows it. */
    private static final String DOCKER_CAPS = "00000000a80425fb";

    @Test
    void theProcessIsPid1AndSeesNothingOfTheHost() throws Exception {
        RuntimeFixture.Run run = containers.run(ContainerSettings.builder().hostname("box"), "sh", "-c",
                "echo pid=$$; ps -o pid,comm | tail -n +2 | wc -l; hostname; cat /proc/kcore | wc -c; "
                        + "touch /sys/berth 2>/dev/null || echo sys-ro; mount -t tmpfs none /mnt 2>/dev/null || "
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
        // The bomb hits the limit and stays there; the host keeps forking.
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (bomb.stats().pidsCurrent() < 20 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(bomb.stats().pidsCurrent()).isEqualTo(20);
        assertThat(bomb.stats().pidsLimit()).isEqualTo(20);
        Process host = new ProcessBuilder("/bin/busybox", "true").start();
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
}
