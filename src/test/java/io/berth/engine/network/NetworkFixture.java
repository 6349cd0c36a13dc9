package io.berth.engine.network;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import tools.jackson.databind.json.JsonMapper;

import io.berth.support.Commands;
import io.berth.support.EngineRequirement;
import io.berth.support.RequiredTools;

/**
 * A {@link NetworkService} on this machine's kernel with names of its own (bridge {@code bt<tag>0}, chains
 * {@code BT<TAG>-*}, subnets from a {@code 10.x.0.0/16} pool no route of the host covers, namespaces and DNS
 * configuration under a temporary directory), and what its tests need around it: processes in a container's
 * namespace, and a list of everything it may leave on the host. Registered as a JUnit extension, it starts before
 * each test and takes all of it away after ({@link #close}).
 *
 * <p>Traffic stays on this machine: between the test, the host's own addresses and the namespaces made here.
 */
final class NetworkFixture implements BeforeEachCallback, AfterEachCallback, AutoCloseable {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    String tag;
    Path root;
    NetworkProperties properties;
    BridgeTools tools;
    final List<NetworkEvent> events = new CopyOnWriteArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private final List<String> bridges = new ArrayList<>();
    NetworkService service;

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        start();
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (root != null) {
            close();
        }
    }

    /** Skips the test (fails it under CI=true) where bridge networking cannot run. */
    void start() throws IOException {
        EngineRequirement.assumeEngine();
        RequiredTools.require("/usr/lib/cni/bridge", "containernetworking-plugins");
        RequiredTools.require("iptables-restore", "iptables");
        RequiredTools.require("/usr/lib/podman/aardvark-dns", "aardvark-dns");
        RequiredTools.require("busybox", "busybox-static");
        RequiredTools.require("nsenter", "util-linux");
        String tag = HexFormat.of().formatHex(new byte[] {(byte) new Random().nextInt(256),
                (byte) new Random().nextInt(256)});
        Path root = Files.createTempDirectory(Path.of("/tmp"), "berth-net-");
        int second = 200 + new Random().nextInt(50);
        NetworkProperties properties = new NetworkProperties("bt" + tag + "0", "", List.of("10." + second
                + ".0.0/16:24"), 1500, root.resolve("netns"), root.resolve("run"), "", "", "BT"
                + tag.toUpperCase());
        this.tag = tag;
        this.root = root;
        this.properties = properties;
        this.tools = BridgeTools.find(properties);
        bridges.add(properties.bridgeName());
        service = newService();
    }

    /** Another service on the same directories, as a restarted Engine has (the old one lets its ports go first). */
    NetworkService restart() {
        service.close();
        service = newService();
        return service;
    }

    private NetworkService newService() {
        return NetworkConfiguration.create(properties, root.resolve("data"), tools, JSON, Clock.systemUTC(),
                List.of(events::add));
    }

    NetworkDefinition userNetwork(String name) {
        NetworkDefinition network = service.create(new NetworkCreate(name + "-" + tag, null, null, List.of(), false,
                false, false, null, null));
        bridges.add(network.bridge());
        return network;
    }

    ContainerNetwork setup(String name, List<EndpointRequest> networks, List<PortMapping> ports) {
        String id = HexFormat.of().formatHex(randomBytes()) + HexFormat.of().formatHex(randomBytes());
        return service.setup(new ContainerNetworkRequest(id, name, id.substring(0, 12), networks, ports, List.of()));
    }

    /** busybox httpd serving {@code content} as /index.html in the container's namespace, port 80. */
    void serve(ContainerNetwork container, String content) throws IOException, InterruptedException {
        Path www = Files.createDirectories(root.resolve("www-" + container.containerId().substring(0, 12)));
        Files.writeString(www.resolve("index.html"), content);
        Process httpd = new ProcessBuilder("nsenter", "--net=" + container.namespace(), "busybox", "httpd", "-f",
                "-p", "80", "-h", www.toString()).redirectErrorStream(true).start();
        processes.add(httpd);
        String address = container.endpoints().get(0).address().address().toString();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                if (content.equals(get("http://" + address + ":80/index.html"))) {
                    return;
                }
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline || !httpd.isAlive()) {
                    throw new IOException("httpd in " + container.namespace() + " never answered", notYet);
                }
                Thread.sleep(20);
            }
        }
    }

    /**
     * Runs a command in the container's network namespace with its resolv.conf (bind-mounted over /etc/resolv.conf in
     * a mount namespace of the command's own), as a container's process would see it.
     */
    Commands.Result inContainer(ContainerNetwork container, String resolvConf, String... command) throws IOException {
        Path file = root.resolve("resolv-" + container.containerId().substring(0, 12) + ".conf");
        Files.writeString(file, resolvConf);
        List<String> line = new ArrayList<>(List.of("nsenter", "--net=" + container.namespace(), "unshare", "-m",
                "--propagation", "private", "sh", "-c", "mount --bind \"$0\" /etc/resolv.conf && exec \"$@\"",
                file.toString()));
        line.addAll(List.of(command));
        return Commands.of(line).timeout(Duration.ofSeconds(60)).run();
    }

    /** An HTTP GET from the test itself; the body, or an IOException when nothing answered. */
    static String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        return response.body();
    }

    /** What the fixture's Engine may have left on the host, each kind by name (empty when nothing). */
    Leftovers leftovers() throws IOException {
        List<String> veths = new ArrayList<>();
        for (String bridge : bridges) {
            Path ports = Path.of("/sys/class/net", bridge, "brif");
            if (Files.isDirectory(ports)) {
                try (Stream<Path> list = Files.list(ports)) {
                    list.forEach(port -> veths.add(bridge + ":" + port.getFileName()));
                }
            }
        }
        List<String> pins = new ArrayList<>();
        Path pinDir = properties.namespaceDir();
        if (Files.isDirectory(pinDir)) {
            try (Stream<Path> list = Files.list(pinDir)) {
                list.forEach(pin -> pins.add(pin.toString()));
            }
        }
        List<String> mounts = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .filter(line -> line.contains(pinDir + "/")).toList();
        String prefix = properties.chainPrefix() + "-";
        List<String> rules = Commands.of("iptables-save").run().assertSuccess().stdout().lines()
                .filter(line -> line.startsWith("-A " + prefix)).toList();
        List<String> records = new ArrayList<>();
        Path containers = root.resolve("data").resolve("containers");
        if (Files.isDirectory(containers)) {
            try (Stream<Path> list = Files.list(containers)) {
                list.forEach(record -> records.add(record.getFileName().toString()));
            }
        }
        List<String> dnsServers = ProcessHandle.allProcesses()
                .filter(process -> process.info().commandLine().orElse("").contains(root.resolve("run").toString()))
                .map(process -> process.pid() + " " + process.info().commandLine().orElse(""))
                .toList();
        return new Leftovers(veths, pins, mounts, rules, records, dnsServers);
    }

    /** Everything {@link #leftovers} can find. */
    record Leftovers(List<String> veths, List<String> namespacePins, List<String> namespaceMounts,
            List<String> firewallRules, List<String> records, List<String> dnsServers) {
    }

    /**
     * Waits until nothing is left but these firewall rules (those of the networks, which stay while a network
     * exists): the kernel ends a namespace, and aardvark-dns its server, a moment after the call that let them go.
     */
    Leftovers awaitNothingLeftBut(List<String> networkRules) throws IOException, InterruptedException {
        Leftovers wanted = new Leftovers(List.of(), List.of(), List.of(), networkRules, List.of(), List.of());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Leftovers left = leftovers();
        while (!left.equals(wanted) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            left = leftovers();
        }
        return left;
    }

    /** Takes everything away, each step whatever the others did; the first failure is thrown at the end. */
    @Override
    public void close() throws Exception {
        List<Exception> failures = new ArrayList<>();
        for (Process process : processes) {
            step(failures, () -> process.destroyForcibly().waitFor());
        }
        if (service != null) {
            step(failures, () -> {
                for (ContainerNetwork container : new FileNetworkStore(root.resolve("data"), JSON).containers()) {
                    service.teardown(container.containerId());
                }
            });
            step(failures, () -> {
                for (NetworkDefinition network : service.networks()) {
                    if (!network.isBuiltin()) {
                        service.remove(network.id());
                    }
                }
            });
            step(failures, service::close);
        }
        step(failures, () -> new Firewall(properties.chainPrefix(), tools.iptablesRestore(), tools.iptablesSave())
                .uninstall());
        for (String bridge : bridges) {
            step(failures, () -> KernelCalls.deleteBridge(bridge));
        }
        step(failures, () -> ProcessHandle.allProcesses()
                .filter(process -> process.info().commandLine().orElse("").contains(root.toString()))
                .forEach(ProcessHandle::destroyForcibly));
        Path pinDir = properties.namespaceDir();
        step(failures, () -> {
            if (Files.isDirectory(pinDir)) {
                try (Stream<Path> pins = Files.list(pinDir)) {
                    for (Path pin : pins.toList()) {
                        KernelCalls.detach(pin.toString());
                    }
                }
                KernelCalls.detach(pinDir.toString());
            }
        });
        step(failures, () -> {
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        });
        if (!failures.isEmpty()) {
            Exception first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void step(List<Exception> failures, Step step) {
        try {
            step.run();
        } catch (Exception e) {
            failures.add(e);
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[16];
        new Random().nextBytes(bytes);
        return bytes;
    }
}
