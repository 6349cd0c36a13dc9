package io.berth.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.berth.engine.network.TestNetworking;

/**
 * Base of every test that talks to a running Berth over HTTP. All subclasses share one Spring context
 * (same configuration), one data directory and one random port, so the suite starts Berth once.
 *
 * <p>Berth creates the administrator {@link #ADMIN} on its first start; {@link #registry()} is a client logged in as
 * that account, which may do everything, {@link #anonymousRegistry()} one that never logged in.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"management.server.port=0", "berth.hub.gc.enabled=false",
                "berth.hub.initial-admin-password=" + TestAccounts.ADMIN_PASSWORD,
                // Every test connects from 127.0.0.1, and several try wrong passwords on purpose: the per-address limit
                // would soon hold up the whole suite. Per-account throttling stays as configured.
                "berth.hub.login-throttle.max-failures-per-address=100000"})
public abstract class BerthIntegrationTest {

    protected static final String ADMIN = TestAccounts.ADMIN;
    protected static final String ADMIN_PASSWORD = TestAccounts.ADMIN_PASSWORD;

    private static final Path DATA_DIR = createDataDir();

    protected static final HttpClient HTTP = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    @LocalServerPort
    protected int port;

    // Unix socket paths are limited to 107 bytes: the Engine's socket gets a short directory of its own in /tmp.
    private static final Path ENGINE_SOCKET_DIR = createSocketDir();

    @DynamicPropertySource
    static void berthProperties(DynamicPropertyRegistry registry) {
        registry.add("berth.data-dir", DATA_DIR::toString);
        registry.add("berth.engine.socket", () -> engineSocket().toString());
        TestNetworking.register(registry);
    }

    /** Where the Engine of the shared context listens (when this machine can run it). */
    protected static Path engineSocket() {
        return ENGINE_SOCKET_DIR.resolve("engine.sock");
    }

    protected static Path dataDir() {
        return DATA_DIR;
    }

    /** Base URI of the registry, e.g. {@code http://127.0.0.1:34567}. */
    protected URI baseUri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** A client that authenticates as {@link #ADMIN}; each call gives a new one, with no tokens yet. */
    protected RegistryClient registry() {
        return RegistryClient.as(baseUri(), ADMIN, ADMIN_PASSWORD);
    }

    /** A client that follows challenges without credentials: anonymous tokens, pull of public repositories only. */
    protected RegistryClient anonymousRegistry() {
        return RegistryClient.anonymous(baseUri());
    }

    /** {@code host:port} as docker, podman and skopeo want a registry named. */
    protected String registryHost() {
        return "127.0.0.1:" + port;
    }

    private static Path createDataDir() {
        try {
            // Under target/, so that what a shutdown hook cannot remove (the database closes after it runs) goes
            // with the build output rather than piling up in /tmp.
            Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-data").toAbsolutePath()), "berth-");
            // The shared context lives until the JVM ends, so the data dir goes then too.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteRecursively(dir)));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path createSocketDir() {
        try {
            Path dir = Files.createTempDirectory(Path.of("/tmp"), "berth-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteRecursively(dir)));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // best effort at exit
        }
    }
}
