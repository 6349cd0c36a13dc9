package io.berth.engine.network;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Networking settings for an Engine under test that no other Engine on this machine uses: a bridge {@code b<kind><tag>0},
 * chains {@code B<KIND><TAG>-*}, namespaces and DNS configuration in a directory of its own and subnets from a
 * {@code 10.x.0.0/16} pool. {@link #cleanUp} takes away what such an Engine made on the host: its firewall chains, its
 * default bridge, its DNS servers and namespace pins (user networks' bridges go with the networks the tests remove).
 */
public final class TestNetworking {

    private static TestNetworking shared;

    private final String bridge;
    private final String chainPrefix;
    private final String pool;
    private final Path root;

    private TestNetworking(String kind, Path root) {
        String tag = HexFormat.of().formatHex(new byte[] {(byte) new Random().nextInt(256),
                (byte) new Random().nextInt(256)});
        this.bridge = "b" + kind + tag + "0";
        this.chainPrefix = "B" + kind.toUpperCase() + tag.toUpperCase();
        this.pool = "10." + (100 + new Random().nextInt(100)) + ".0.0/16:24";
        this.root = root;
    }

    /** The settings of the suite's shared Spring context, taken away when the JVM ends. */
    public static synchronized void register(DynamicPropertyRegistry registry) {
        if (shared == null) {
            try {
                shared = new TestNetworking("s", Files.createTempDirectory(Path.of("/tmp"), "berth-netsuite-"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> shared.cleanUp()));
        }
        registry.add("berth.engine.network.bridge-name", () -> shared.bridge);
        registry.add("berth.engine.network.chain-prefix", () -> shared.chainPrefix);
        registry.add("berth.engine.network.namespace-dir", () -> shared.namespaceDir().toString());
        registry.add("berth.engine.network.run-dir", () -> shared.root.resolve("run").toString());
        registry.add("berth.engine.network.address-pools", () -> shared.pool);
    }

    /** The shared Spring context's settings (after {@link #register}). */
    public static synchronized TestNetworking shared() {
        return shared;
    }

    public String bridge() {
        return bridge;
    }

    /** Settings for an Engine process of its own, kept under {@code root} (the same for each of its restarts). */
    public static TestNetworking forProcess(Path root) {
        return new TestNetworking("p", root);
    }

    /** The settings as command line arguments. */
    public List<String> arguments() {
        return List.of("--berth.engine.network.bridge-name=" + bridge,
                "--berth.engine.network.chain-prefix=" + chainPrefix,
                "--berth.engine.network.namespace-dir=" + namespaceDir(),
                "--berth.engine.network.run-dir=" + root.resolve("run"),
                "--berth.engine.network.address-pools=" + pool);
    }

    public String chainPrefix() {
        return chainPrefix;
    }

    public Path namespaceDir() {
        return root.resolve("netns");
    }

    /** Takes away what the Engine left on the host; each step whatever the others did. */
    public void cleanUp() {
        try {
            BridgeTools tools = BridgeTools.find(new NetworkProperties(bridge, "", List.of(), 1500, namespaceDir(),
                    root.resolve("run"), "", "", chainPrefix));
            if (tools.iptablesRestore() != null && tools.iptablesSave() != null) {
                new Firewall(chainPrefix, tools.iptablesRestore(), tools.iptablesSave()).uninstall();
            }
        } catch (IOException | RuntimeException e) {
            // best effort: the next step may still do its part
        }
        try {
            KernelCalls.deleteBridge(bridge);
        } catch (IOException | RuntimeException e) {
            // best effort
        }
        ProcessHandle.allProcesses()
                .filter(process -> process.info().commandLine().orElse("").contains(root.resolve("run").toString()))
                .forEach(ProcessHandle::destroyForcibly);
        try (Stream<Path> pins = Files.isDirectory(namespaceDir()) ? Files.list(namespaceDir()) : Stream.empty()) {
            for (Path pin : pins.toList()) {
                KernelCalls.detach(pin.toString());
            }
            KernelCalls.detach(namespaceDir().toString());
        } catch (IOException | RuntimeException e) {
            // best effort
        }
        try (Stream<Path> paths = Files.exists(root) ? Files.walk(root) : Stream.empty()) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }
}
