package io.berth.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assertions;

import io.berth.engine.network.TestNetworking;

/**
 * Berth in a JVM of its own, for tests that must crash it (SIGKILL) or restart it on the same data dir.
 *
 * <pre>{@code
 * try (BerthProcess berth = BerthProcess.start(tempDir.resolve("data"))) {
 *     ... push to berth.baseUri() ...
 *     berth.killHard();
 * }
 * }</pre>
 *
 * <p>Its output goes to {@code <data dir>.log} next to the data dir (appended, so a restart on the same
 * data dir adds to the same log), and every failure to start shows that log. Its temporary files go to
 * {@code <data dir>.tmp}. Give it a data dir inside a {@code @TempDir} and all three are removed.
 */
public final class BerthProcess implements AutoCloseable {

    // Spring starts in 10 to 30 s; a 2-core machine that other builds keep busy has been seen to need over two minutes.
    private static final Duration STARTUP_DEADLINE = Duration.ofMinutes(5);
    private static final Duration STOP_DEADLINE = Duration.ofSeconds(30);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(200);

    private static final java.util.Map<Path, TestNetworking> NETWORKING = new java.util.HashMap<>();

    private final Process process;
    private final int port;
    private final int managementPort;
    private final Path dataDir;
    private final Path logFile;

    private BerthProcess(Process process, int port, int managementPort, Path dataDir, Path logFile) {
        this.process = process;
        this.port = port;
        this.managementPort = managementPort;
        this.dataDir = dataDir;
        this.logFile = logFile;
    }

    /**
     * Starts Berth on free ports with {@code dataDir} (created if missing) and returns once it is ready for traffic
     * (its readiness probe answers 200). Berth has the administrator of {@link TestAccounts}. Extra arguments
     * ({@code --berth.hub.delete-enabled=false}) go after the defaults.
     */
    public static BerthProcess start(Path dataDir, String... extraArguments) {
        return start(dataDir, List.of(), System.getProperty("java.class.path"), extraArguments);
    }

    /** The networking settings of the Engines started on {@code dataDir}. */
    public static synchronized TestNetworking networking(Path dataDir) {
        return NETWORKING.computeIfAbsent(dataDir.toAbsolutePath().normalize(), dir -> {
            try {
                TestNetworking networking = TestNetworking.forProcess(Files.createTempDirectory(Path.of("/tmp"),
                        "berth-netproc-"));
                Runtime.getRuntime().addShutdownHook(new Thread(networking::cleanUp));
                return networking;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /**
     * Like {@link #start(Path, String...)}, with JVM options before the main class (a class data sharing archive, say)
     * and the class path to run with.
     */
    public static BerthProcess start(Path dataDir, List<String> jvmOptions, String classPath, String... extraArguments) {
        try {
            Files.createDirectories(dataDir);
            Path logFile = dataDir.resolveSibling(dataDir.getFileName() + ".log");
            // Tomcat's work dirs go to java.io.tmpdir and survive a SIGKILL; keep them next to the data dir,
            // which the test removes.
            Path tmpDir = Files.createDirectories(dataDir.resolveSibling(dataDir.getFileName() + ".tmp"));
            int port = freePort();
            int managementPort = freePort();
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    // C1 only: Spring starts about a third faster, which crash tests that restart Berth
                    // several times on a 2-core CI machine feel; they do not measure throughput.
                    "-XX:TieredStopAtLevel=1",
                    "-Djava.io.tmpdir=" + tmpDir));
            command.addAll(jvmOptions);
            command.addAll(List.of(
                    // Under Surefire the default is the real test classpath (it rewrites the property in the fork).
                    "-cp", classPath,
                    "io.berth.BerthApplication",
                    "--server.port=" + port,
                    "--management.server.port=" + managementPort,
                    "--berth.data-dir=" + dataDir,
                    // /actuator/health/readiness, which awaitReady polls.
                    "--management.endpoint.health.probes.enabled=true",
                    // Takes effect on the first start on a data dir only; later starts find the account.
                    "--berth.hub.initial-admin-password=" + TestAccounts.ADMIN_PASSWORD));
            if (java.util.Arrays.stream(extraArguments).noneMatch(a -> a.startsWith("--berth.engine.socket="))) {
                // Never the machine's /run/berth/engine.sock: a test's Berth must not take another Berth's socket.
                command.add("--berth.engine.socket=" + engineSocket(dataDir));
            }
            if (java.util.Arrays.stream(extraArguments).noneMatch(a -> a.startsWith("--berth.engine.network."))) {
                // Never the machine's berth0, BERTH-* chains and /run/berth/netns: a bridge and chains of its own,
                // the same for every restart on this data dir, taken away when the JVM ends.
                command.addAll(networking(dataDir).arguments());
            }
            command.addAll(List.of(extraArguments));
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            BerthProcess berth = new BerthProcess(process, port, managementPort, dataDir, logFile);
            try {
                berth.awaitReady();
            } catch (RuntimeException | Error e) {
                berth.close();
                throw e;
            }
            return berth;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Berth with data dir " + dataDir, e);
        }
    }

    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** A client that authenticates as the administrator of {@link TestAccounts}. */
    public RegistryClient registry() {
        return RegistryClient.as(baseUri(), TestAccounts.ADMIN, TestAccounts.ADMIN_PASSWORD);
    }

    /** {@code host:port} as docker, podman and skopeo want a registry named. */
    public String registryHost() {
        return "127.0.0.1:" + port;
    }

    /** The Engine's socket, next to the data dir (unless the test named another). */
    public Path engineSocket() {
        return engineSocket(dataDir);
    }

    private static Path engineSocket(Path dataDir) {
        return dataDir.resolveSibling(dataDir.getFileName() + ".sock");
    }

    public URI managementUri() {
        return URI.create("http://127.0.0.1:" + managementPort);
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path logFile() {
        return logFile;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Everything Berth printed so far (all runs on this data dir). */
    public String log() {
        try {
            return Files.exists(logFile) ? Files.readString(logFile) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL, as a power cut or the OOM killer would: no shutdown hook runs. Returns once it is gone. */
    public void killHard() {
        process.destroyForcibly();
        awaitExit("SIGKILL");
    }

    /** SIGTERM, as systemd or docker stop would: Spring shuts down gracefully. Returns the exit code. */
    public int stop() {
        process.destroy();
        return awaitExit("SIGTERM");
    }

    /** Kills Berth if a test left it running, e.g. after a failed assertion. */
    @Override
    public void close() {
        if (process.isAlive()) {
            killHard();
        }
    }

    private int awaitExit(String signal) {
        try {
            if (!process.waitFor(STOP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                Assertions.fail("Berth did not exit within " + STOP_DEADLINE + " of " + signal + "\n" + log());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted while waiting for Berth to exit", e);
        }
    }

    /**
     * Waits for the readiness probe rather than for the registry port: Tomcat answers {@code /v2/} before Spring has
     * run the application runners, and one of them creates the administrator, so a login in that window fails (and
     * counts towards the login throttle). Readiness turns UP only once startup, runners included, is complete.
     */
    private void awaitReady() {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest probe = HttpRequest.newBuilder(managementUri().resolve("/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(5))
                .GET()
                .build();
        long deadline = System.nanoTime() + STARTUP_DEADLINE.toNanos();
        String lastAnswer = "no answer yet";
        try {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    Assertions.fail("Berth exited with code " + process.exitValue()
                            + " before it was ready\n" + log());
                }
                try {
                    HttpResponse<String> response = client.send(probe, HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200) {
                        return;
                    }
                    lastAnswer = probe.uri() + " answered " + response.statusCode() + ": " + response.body();
                } catch (ConnectException e) {
                    lastAnswer = "connection refused (still starting)";
                } catch (IOException e) {
                    lastAnswer = e.toString();
                }
                // Nothing to wait on but the port itself: the child's readiness is only visible over HTTP.
                Thread.sleep(POLL_INTERVAL.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Berth to start", e);
        }
        Assertions.fail("Berth was not ready within " + STARTUP_DEADLINE + " (last: " + lastAnswer + ")\n" + log());
    }

    /**
     * A port nobody listens on right now. Another process could take it before Berth binds it; then Berth
     * exits and {@link #start} fails with the log saying so, which is rare enough for tests.
     */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
