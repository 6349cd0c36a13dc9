package io.berth.engine.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.berth.support.BerthIntegrationTest;
import io.berth.support.Commands;
import io.berth.support.EngineRequirement;
import io.berth.support.EngineWithBusybox;
import io.berth.support.RequiredTools;

/**
 * 200 containers on the default bridge, each with a published port, created, run, awaited and removed through the
 * Engine API: afterwards the host has no veth, namespace pin, firewall rule or kept address more than before.
 */
class NetworkLeakTest extends BerthIntegrationTest {

    private static final int CYCLES = 200;

    private EngineWithBusybox engine;

    @BeforeEach
    void setUp() {
        EngineRequirement.assumeEngine();
        RequiredTools.require("/usr/lib/cni/bridge", "containernetworking-plugins");
        RequiredTools.require("iptables-restore", "iptables");
        engine = EngineWithBusybox.pull(engineSocket(), registry(), registryHost(), "engine-network-leaks");
    }

    @AfterEach
    void cleanUp() {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void twoHundredRunsLeaveNothingBehind() throws Exception {
        // one run first, so that the bridge and the network's rules exist in the baseline
        cycle();
        Leftovers before = leftovers();

        for (int i = 0; i < CYCLES; i++) {
            cycle();
        }

        Leftovers after = awaitLeftovers(before);
        assertThat(after).isEqualTo(before);
        assertThat(after.dnatRules()).isEmpty();
    }

    /** One container: created with {@code -p 80}, started, awaited and removed. */
    private void cycle() throws IOException {
        String created = api("POST", "/v1.47/containers/create", """
                {"Image":"%s","Cmd":["true"],"ExposedPorts":{"80/tcp":{}},
                 "HostConfig":{"PortBindings":{"80/tcp":[{"HostIp":"","HostPort":""}]}}}""".formatted(engine.image()));
        assertThat(created).startsWith("201 ");
        String id = created.substring(created.indexOf("\"Id\":\"") + 6, created.indexOf("\"Id\":\"") + 70);
        assertThat(api("POST", "/v1.47/containers/" + id + "/start", "")).startsWith("204 ");
        assertThat(api("POST", "/v1.47/containers/" + id + "/wait", "")).startsWith("200 ").contains("\"StatusCode\":0");
        assertThat(api("DELETE", "/v1.47/containers/" + id, null)).startsWith("204 ");
    }

    record Leftovers(List<String> veths, List<String> pins, List<String> mounts, List<String> dnatRules,
            List<String> rules, List<String> records) {
    }

    private Leftovers leftovers() throws IOException {
        TestNetworking networking = TestNetworking.shared();
        List<String> veths = list(Path.of("/sys/class/net", networking.bridge(), "brif"));
        List<String> pins = list(networking.namespaceDir());
        List<String> mounts = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .filter(line -> line.contains(networking.namespaceDir() + "/")).toList();
        List<String> rules = Commands.of("iptables-save").run().assertSuccess().stdout().lines()
                .filter(line -> line.startsWith("-A " + networking.chainPrefix() + "-")).sorted().toList();
        List<String> dnat = rules.stream().filter(line -> line.contains("-j DNAT")).toList();
        List<String> records = list(dataDir().resolve("engine").resolve("networks").resolve("containers"));
        return new Leftovers(veths, pins, mounts, dnat, rules, records);
    }

    /** The kernel ends a namespace, and its veth, a moment after the last reference goes. */
    private Leftovers awaitLeftovers(Leftovers wanted) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Leftovers left = leftovers();
        while (!left.equals(wanted) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            left = leftovers();
        }
        return left;
    }

    private static List<String> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }

    /** One request to the Engine's socket; its status code, a space and its body. */
    private static String api(String method, String path, String body) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(engineSocket()));
            byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            String head = method + " " + path + " HTTP/1.1\r\nHost: api.moby.localhost\r\nConnection: close\r\n"
                    + (body == null ? "" : "Content-Type: application/json\r\nContent-Length: " + content.length
                            + "\r\n")
                    + "\r\n";
            var out = Channels.newOutputStream(channel);
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(content);
            InputStream in = Channels.newInputStream(channel);
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String status = response.substring(9, 12);
            int bodyStart = response.indexOf("\r\n\r\n");
            List<String> parts = new ArrayList<>(List.of(status, response.substring(bodyStart + 4)));
            return String.join(" ", parts);
        }
    }
}
