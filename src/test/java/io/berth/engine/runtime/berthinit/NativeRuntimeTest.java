package io.berth.engine.runtime.berthinit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.berth.engine.runtime.ContainerRuntime;
import io.berth.engine.runtime.ExecProcess;
import io.berth.engine.runtime.RuntimeContainer;
import io.berth.engine.runtime.RuntimeState;
import io.berth.engine.runtime.StartFailure;
import io.berth.engine.runtime.StdioConnection;
import io.berth.engine.runtime.cgroup.CgroupsDetector;
import io.berth.engine.runtime.spec.Mount;
import io.berth.engine.runtime.spec.Process;
import io.berth.engine.runtime.spec.Resources;
import io.berth.engine.runtime.spec.Spec;
import io.berth.engine.runtime.spec.User;
import io.berth.support.EngineRequirement;

/** Real containers from a busybox rootfs, checked from inside; needs root. {@link RuncRuntimeTest} runs them on runc. */
@Timeout(value = 2, unit = TimeUnit.MINUTES) // a safety net against a hang, not an assertion on speed
class NativeRuntimeTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path temp;

    private ContainerRuntime runtime;
    private final List<RuntimeContainer> containers = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        EngineRequirement.assumeEngine();
        runtime = newRuntime();
    }

    /** The runtime under test, made anew as by an Engine that (re)starts over the data dir in temp. */
    ContainerRuntime newRuntime() throws IOException {
        return new NativeRuntime(BerthInitBinary.install(temp.resolve("data")), CgroupsDetector.detect());
    }

    @AfterEach
    void deleteContainers() throws IOException {
        IOException first = null;
        for (RuntimeContainer container : containers) {
            try {
                container.delete();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Test
    void theProcessIsPidOneAndSeesNoHostProcess() throws Exception {
        Result result = runToEnd(BusyboxBundle.spec("sh", "-c", "echo pid=$$; ps -o pid,comm; true"));
        assertEquals(0, result.exitCode, result.output);
        assertTrue(result.output.startsWith("pid=1\n"), result.output);
        List<String> processes = result.output.lines().skip(2).map(String::trim).toList();
        assertEquals(2, processes.size(), result.output);
        assertEquals("1 sh", processes.get(0));
        assertTrue(processes.get(1).endsWith(" ps"), result.output);
    }

    @Test
    void hostnameMasksReadOnlySysAndNoMount() throws Exception {
        Result result = runToEnd(BusyboxBundle.spec("sh", "-c",
                "hostname; wc -c < /proc/keys; wc -c < /proc/timer_list; ls /sys/firmware | wc -l;"
                        + " touch /sys/x 2>/dev/null && echo sys-writable;"
                        + " mount -t tmpfs x /mnt 2>/dev/null && echo mounted;"
                        + " echo 1 2>/dev/null > /proc/sys/kernel/domainname && echo proc-sys-writable;"
                        + " ls /sys/fs/cgroup/memory/memory.limit_in_bytes >/dev/null && echo"
                        + " cgroups; echo done"));
        assertEquals(List.of("berthbox", "0", "0", "0", "cgroups", "done"), result.output.lines().toList());
    }

    @Test
    void capabilitiesAreDockersDefaults() throws Exception {
        Result result = runToEnd(BusyboxBundle.spec("grep", "^Cap", "/proc/self/status"));
        assertTrue(result.output.contains("CapPrm:\t00000000a80425fb"), result.output);
        assertTrue(result.output.contains("CapEff:\t00000000a80425fb"), result.output);
        assertTrue(result.output.contains("CapBnd:\t00000000a80425fb"), result.output);
        assertTrue(result.output.contains("CapInh:\t0000000000000000"), result.output);
    }

    @Test
    void userGroupsEnvAndCwd() throws Exception {
        Spec spec = BusyboxBundle.spec();
        spec = BusyboxBundle.withProcess(spec, BusyboxBundle.process(spec, false, new User(1000, 1000, null,
                List.of(1000, 2000)), List.of("PATH=/bin", "GREETING=hello  world"), "/home/user/work", "sh", "-c",
                "id; echo \"$GREETING\"; pwd; grep CapEff /proc/self/status"));
        Result result = runToEnd(spec);
        assertEquals(List.of("uid=1000(user) gid=1000(user) groups=1000(user),2000(extra)", "hello  world",
                "/home/user/work",
                "CapEff:\t0000000000000000"), result.output.lines().toList());
    }

    @Test
    void exitCodesAndSignalsComeBack() throws Exception {
        assertEquals(3, runToEnd(BusyboxBundle.spec("sh", "-c", "exit 3")).exitCode);
        RuntimeContainer sleeper = started(BusyboxBundle.spec("sleep", "1000"));
        assertEquals(RuntimeState.Status.RUNNING, sleeper.state().status());
        sleeper.kill(9);
        RuntimeState state = sleeper.awaitExit(WAIT);
        assertEquals(RuntimeState.Status.STOPPED, state.status());
        assertEquals(137, state.exitCode());
        assertFalse(state.oomKilled());
        assertTrue(state.finishedAt() != null && state.startedAt() != null);
    }

    @Test
    void aWatchOnTheMonitorEndsWhenTheContainerDoes() throws Exception {
        RuntimeContainer container = started(BusyboxBundle.spec("sh", "-c", "while true; do echo tick; sleep 0.01; done"));
        MonitorFiles files = new MonitorFiles(container.logFile().getParent());
        try (AttachClient.Watch watch = AttachClient.watch(files.socket())) {
            assertFalse(watch.awaitEnd(Duration.ofMillis(200)), "the container still runs");
            assertFalse(files.awaitEnd(Duration.ofMillis(1)));
            container.kill(9);
            assertTrue(watch.awaitEnd(WAIT));
        }
        assertEquals(137, files.exitCode(), "the exit file is written before the watch ends");
        assertTrue(files.awaitEnd(Duration.ZERO));
        assertEquals(137, container.awaitExit(Duration.ZERO).exitCode());
    }

    @Test
    void aMissingProgramFailsCreate() throws Exception {
        BusyboxBundle bundle = BusyboxBundle.create(temp.resolve("missing"));
        bundle.write(BusyboxBundle.spec("no-such-program"));
        StartFailure e = assertThrows(StartFailure.class,
                () -> runtime.create(id(), bundle.dir, temp.resolve("missing-state")));
        assertTrue(e.getMessage().endsWith("exec: \"no-such-program\": executable file not found in $PATH"),
                e.getMessage());
        assertEquals(StartFailure.Kind.NOT_FOUND, e.kind());
    }

    @Test
    void aBindMountThroughASymlinkStaysInTheRootfs() throws Exception {
        BusyboxBundle bundle = BusyboxBundle.create(temp.resolve("symlink"));
        Files.createSymbolicLink(bundle.rootfs.resolve("escape"), Path.of("/etc"));
        Path hostFile = Files.writeString(temp.resolve("marker.txt"), "inside\n");
        String name = "berth-test-" + UUID.randomUUID() + ".txt";
        Spec spec = BusyboxBundle.withMount(BusyboxBundle.spec("cat", "/etc/" + name),
                new Mount("/escape/" + name, "bind", hostFile.toString(), List.of("rbind", "ro")));
        Result result = runToEnd(bundle, spec);
        assertEquals("inside\n", result.output);
        assertTrue(Files.exists(bundle.rootfs.resolve("etc").resolve(name)), "the mount point is in the rootfs");
        assertFalse(Files.exists(Path.of("/etc", name)), "the host's /etc is untouched");
    }

    @Test
    void stdinThroughAttach() throws Exception {
        Spec spec = BusyboxBundle.withAnnotations(BusyboxBundle.spec("cat"),
                Map.of(PlanWriter.STDIN_ANNOTATION, "open"));
        RuntimeContainer container = created(spec);
        try (StdioConnection io = container.attach()) {
            container.start();
            byte[] data = "line one\nline two\n".getBytes(StandardCharsets.UTF_8);
            io.writeStdin(data, 0, data.length);
            io.closeStdin();
            Frames frames = Frames.read(io.output());
            assertEquals("line one\nline two\n", frames.stdout);
        }
        assertEquals(0, container.awaitExit(WAIT).exitCode());
        List<JsonNode> log = log(container);
        assertEquals(2, log.size());
        assertEquals("line one\n", log.get(0).get("log").asString());
        assertEquals("stdout", log.get(0).get("stream").asString());
    }

    @Test
    void bigInputAndOutputAtOnce() throws Exception {
        Spec spec = BusyboxBundle.withAnnotations(BusyboxBundle.spec("cat"),
                Map.of(PlanWriter.STDIN_ANNOTATION, "open"));
        RuntimeContainer container = created(spec);
        int size = 8 << 20;
        try (StdioConnection io = container.attach()) {
            container.start();
            Thread writer = new Thread(() -> {
                byte[] chunk = new byte[65536];
                java.util.Arrays.fill(chunk, (byte) 'x');
                try {
                    for (int sent = 0; sent < size; sent += chunk.length) {
                        io.writeStdin(chunk, 0, chunk.length);
                    }
                    io.closeStdin();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            writer.start();
            assertEquals(size, Frames.read(io.output()).stdout.length());
            writer.join();
        }
        assertEquals(0, container.awaitExit(WAIT).exitCode());
    }

    @Test
    void stdoutAndStderrAreFramedAndLogged() throws Exception {
        RuntimeContainer container = created(BusyboxBundle.spec("sh", "-c", "echo out; echo err >&2; printf tail"));
        Frames frames;
        try (StdioConnection io = container.attach()) {
            container.start();
            frames = Frames.read(io.output());
        }
        assertEquals("out\ntail", frames.stdout);
        assertEquals("err\n", frames.stderr);
        container.awaitExit(WAIT);
        List<JsonNode> log = log(container);
        assertEquals(3, log.size(), log.toString());
        assertTrue(log.stream().anyMatch(l -> l.get("log").asString().equals("err\n")
                && l.get("stream").asString().equals("stderr")));
        assertTrue(log.stream().anyMatch(l -> l.get("log").asString().equals("tail")));
        java.time.Instant.parse(log.get(0).get("time").asString());
    }

    @Test
    void attachWorksWhateverTheLengthOfTheStatePath() throws Exception {
        BusyboxBundle bundle = BusyboxBundle.create(temp.resolve("long"));
        bundle.write(BusyboxBundle.spec("echo", "far away"));
        Path stateDir = temp.resolve("containers").resolve("0123456789abcdef".repeat(4)).resolve("x".repeat(40));
        assertTrue(stateDir.resolve("attach.sock").toString().length() > 108, "longer than sun_path");
        RuntimeContainer container = runtime.create(id(), bundle.dir, stateDir);
        containers.add(container);
        try (StdioConnection io = container.attach()) {
            container.start();
            assertEquals("far away\n", Frames.read(io.output()).stdout);
        }
    }

    @Test
    void aTerminalAnswersWhatIsTyped() throws Exception {
        Spec spec = BusyboxBundle.spec();
        spec = BusyboxBundle.withProcess(spec, BusyboxBundle.process(spec, true, new User(0, 0, null, null),
                List.of("PATH=/bin", "PS1=# "), "/", "sh"));
        RuntimeContainer container = created(spec);
        try (StdioConnection io = container.attach()) {
            container.start();
            io.resize(30, 100);
            // One line: busybox's line editor asks the terminal for the cursor position at an idle prompt, and a
            // second line typed meanwhile could be taken for the answer.
            byte[] typed = "echo hi $(stty size); exit 7\n".getBytes(StandardCharsets.UTF_8);
            io.writeStdin(typed, 0, typed.length);
            String seen = Frames.read(io.output()).stdout;
            assertTrue(seen.contains("\r\nhi 30 100\r\n"), seen);
        }
        assertEquals(7, container.awaitExit(WAIT).exitCode());
    }

    @Test
    void execRunsInsideTheContainer() throws Exception {
        RuntimeContainer container = started(BusyboxBundle.spec("sleep", "1000"));
        Process process = BusyboxBundle.process(BusyboxBundle.spec(), false, new User(1000, 1000, null, null),
                List.of("PATH=/bin"), "/tmp", "sh", "-c", "cat /proc/1/cmdline; echo; hostname; pwd; id -u; exit 5");
        ExecProcess exec = container.exec("e1", process, temp.resolve("exec-1"));
        assertEquals(0, exec.pid());
        Frames frames;
        try (StdioConnection io = exec.attach()) {
            exec.start();
            assertNotEquals(0, exec.pid());
            io.closeStdin();
            frames = Frames.read(io.output());
        }
        assertEquals("sleep\u00001000\u0000\nberthbox\n/tmp\n1000\n", frames.stdout);
        assertEquals(5, exec.awaitExit(WAIT));
    }

    @Test
    void anExecWithATerminal() throws Exception {
        RuntimeContainer container = started(BusyboxBundle.spec("sleep", "1000"));
        Process process = BusyboxBundle.process(BusyboxBundle.spec(), true, null, List.of("PATH=/bin", "PS1=$ "),
                "/", "sh");
        ExecProcess exec = container.exec("tty", process, temp.resolve("exec-tty"));
        try (StdioConnection io = exec.attach()) {
            exec.start();
            byte[] typed = "tty; exit 4\n".getBytes(StandardCharsets.UTF_8);
            io.writeStdin(typed, 0, typed.length);
            String seen = Frames.read(io.output()).stdout;
            assertTrue(seen.contains("/dev/pts/"), seen);
        }
        assertEquals(4, exec.awaitExit(WAIT));
    }

    @Test
    void aMemoryLimitOomKills() throws Exception {
        Spec spec = BusyboxBundle.withResources(BusyboxBundle.spec("tail", "/dev/zero"),
                new Resources(new Resources.Memory(32L << 20, null, 32L << 20, null), null, null, null));
        RuntimeContainer container = started(spec);
        RuntimeState state = container.awaitExit(WAIT);
        assertEquals(137, state.exitCode());
        assertTrue(state.oomKilled());
    }

    @Test
    void aPidsLimitContainsAForkBomb() throws Exception {
        Spec spec = BusyboxBundle.withResources(BusyboxBundle.spec("sh", "-c", "bomb() { bomb | bomb & }; bomb; sleep 1000"),
                new Resources(null, null, new Resources.Pids(20), null));
        RuntimeContainer container = started(spec);
        // The bomb forks until the count reaches the limit and the kernel refuses a fork, which it records itself:
        // shells whose fork failed exit while others fork, so a sample of the count may never see it at the limit.
        await().atMost(WAIT).until(() -> container.forksRefused() > 0);
        assertTrue(container.stats().pidsCurrent() <= 20);
        assertEquals(20, container.stats().pidsLimit());
        assertTrue(container.pids().size() <= 20);
        // The host still forks.
        assertEquals(0, new ProcessBuilder("true").start().waitFor());
    }

    @Test
    void pauseAndResume() throws Exception {
        RuntimeContainer container = started(BusyboxBundle.spec("sleep", "1000"));
        container.pause();
        assertEquals(RuntimeState.Status.PAUSED, container.state().status());
        container.resume();
        assertEquals(RuntimeState.Status.RUNNING, container.state().status());
    }

    @Test
    void aNewRuntimeFindsARunningContainerAgain() throws Exception {
        BusyboxBundle bundle = BusyboxBundle.create(temp.resolve("reopen"));
        bundle.write(BusyboxBundle.spec("sh", "-c", "while true; do echo tick; sleep 0.05; done"));
        String id = id();
        Path stateDir = temp.resolve("reopen-state");
        RuntimeContainer first = runtime.create(id, bundle.dir, stateDir);
        containers.add(first);
        first.start();

        // As after an Engine restart: a new runtime over the same state dir.
        ContainerRuntime restarted = newRuntime();
        assertEquals(null, restarted.reopen(id(), temp.resolve("no-such-state")));
        RuntimeContainer again = restarted.reopen(id, stateDir);
        containers.add(again);
        RuntimeState state = again.state();
        assertEquals(RuntimeState.Status.RUNNING, state.status());
        assertEquals(first.state().pid(), state.pid());
        long size = Files.size(again.logFile());
        await("the log keeps growing").atMost(WAIT).until(() -> Files.size(again.logFile()) > size);

        Process process = BusyboxBundle.process(BusyboxBundle.spec(), false, null, List.of("PATH=/bin"), "/",
                "sh", "-c", "exit 9");
        ExecProcess exec = again.exec("after-restart", process, temp.resolve("exec-after"));
        exec.start();
        assertEquals(9, exec.awaitExit(WAIT));

        again.kill(9);
        assertEquals(137, again.awaitExit(WAIT).exitCode());
        again.delete();
        assertEquals(null, restarted.reopen(id, stateDir));
    }

    @Test
    void aNewRuntimeSeesTheExitOfAContainerThatEndedMeanwhile() throws Exception {
        BusyboxBundle bundle = BusyboxBundle.create(temp.resolve("ended"));
        bundle.write(BusyboxBundle.spec("sh", "-c", "echo bye; exit 4"));
        String id = id();
        Path stateDir = temp.resolve("ended-state");
        RuntimeContainer container = runtime.create(id, bundle.dir, stateDir);
        containers.add(container);
        container.start();
        container.awaitExit(WAIT);
        RuntimeState state = newRuntime().reopen(id, stateDir).state();
        assertEquals(RuntimeState.Status.STOPPED, state.status());
        assertEquals(4, state.exitCode());
        assertEquals(List.of("bye\n"), log(container).stream().map(l -> l.get("log").asString()).toList());
    }

    @Test
    void deleteKillsACreatedContainerAndRemovesItsCgroup() throws Exception {
        RuntimeContainer container = created(BusyboxBundle.spec("sleep", "1000"));
        assertEquals(RuntimeState.Status.CREATED, container.state().status());
        int pid = container.state().pid();
        assertTrue(Files.exists(Path.of("/proc", Integer.toString(pid))));
        Path cgroup = Path.of("/sys/fs/cgroup/pids" + Files.readAllLines(Path.of("/proc", Integer.toString(pid),
                "cgroup")).stream().filter(l -> l.contains(":pids:")).findFirst().orElseThrow().split(":", 3)[2]);
        assertTrue(Files.isDirectory(cgroup), cgroup.toString());
        container.delete();
        assertFalse(Files.exists(cgroup), cgroup + " is gone");
    }

    // ---- helpers ----

    private record Result(int exitCode, String output) {
    }

    private Result runToEnd(Spec spec) throws Exception {
        return runToEnd(BusyboxBundle.create(temp.resolve("b-" + UUID.randomUUID())), spec);
    }

    private Result runToEnd(BusyboxBundle bundle, Spec spec) throws Exception {
        bundle.write(spec);
        RuntimeContainer container = runtime.create(id(), bundle.dir, temp.resolve("s-" + UUID.randomUUID()));
        containers.add(container);
        container.start();
        RuntimeState state = container.awaitExit(WAIT);
        assertEquals(RuntimeState.Status.STOPPED, state.status());
        StringBuilder output = new StringBuilder();
        for (JsonNode line : log(container)) {
            output.append(line.get("log").asString());
        }
        return new Result(state.exitCode(), output.toString());
    }

    private RuntimeContainer created(Spec spec) throws IOException {
        BusyboxBundle bundle = BusyboxBundle.create(temp.resolve("b-" + UUID.randomUUID()));
        bundle.write(spec);
        RuntimeContainer container = runtime.create(id(), bundle.dir, temp.resolve("s-" + UUID.randomUUID()));
        containers.add(container);
        return container;
    }

    private RuntimeContainer started(Spec spec) throws IOException {
        RuntimeContainer container = created(spec);
        container.start();
        return container;
    }

    private static List<JsonNode> log(RuntimeContainer container) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(container.logFile())) {
            lines.add(JSON.readTree(line));
        }
        return lines;
    }

    private static String id() {
        return "berth-test-" + UUID.randomUUID().toString().substring(0, 12);
    }

    /** Docker's multiplexed stream, split by stream. */
    record Frames(String stdout, String stderr) {

        static Frames read(InputStream in) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
            byte[] header;
            while ((header = in.readNBytes(8)).length == 8) {
                byte[] payload = in.readNBytes(ByteBuffer.wrap(header, 4, 4).getInt());
                (header[0] == 2 ? err : out).write(payload);
            }
            return new Frames(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }

        /** Output until {@code expected} appeared (or the stream ended). */
        static String readUntil(InputStream in, String expected) throws IOException {
            StringBuilder seen = new StringBuilder();
            byte[] header;
            while (!seen.toString().contains(expected) && (header = in.readNBytes(8)).length == 8) {
                seen.append(new String(in.readNBytes(ByteBuffer.wrap(header, 4, 4).getInt()), StandardCharsets.UTF_8));
            }
            return seen.toString();
        }
    }
}
