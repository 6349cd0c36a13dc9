package io.berth.engine.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.berth.support.BerthIntegrationTest;
import io.berth.support.Commands;
import io.berth.support.EngineRequirement;
import io.berth.support.EngineWithBusybox;
import io.berth.support.RequiredTools;

/**
 * Containers on the Engine's networks, driven by the stock docker CLI: a published port answers the test on
 * 127.0.0.1, {@code docker port} and {@code docker ps} name it, a container reaches another by name on a user network
 * and not on the default bridge, a running container is connected to a network and disconnected again. Traffic goes
 * to loopback and to the containers' own addresses only.
 */
class DockerCliContainerNetworkingTest extends BerthIntegrationTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** busybox httpd serving {@code $PAGE} as /index.html on port 80, in the foreground. */
    private static final String SERVE = "mkdir -p /www && echo \"$PAGE\" > /www/index.html "
            + "&& exec /bin/busybox httpd -f -p 80 -h /www";

    private EngineWithBusybox engine;
    private String image;
    private String suffix;

    @BeforeEach
    void setUp() {
        EngineRequirement.assumeEngine();
        RequiredTools.require("/usr/lib/cni/bridge", "containernetworking-plugins");
        RequiredTools.require("iptables-restore", "iptables");
        RequiredTools.require("/usr/lib/podman/aardvark-dns", "aardvark-dns");
        engine = EngineWithBusybox.pull(engineSocket(), registry(), registryHost(), "engine-networking");
        image = engine.image();
        suffix = UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void cleanUp() {
        if (engine != null) {
            engine.close();
            engine.docker("network", "rm", "net-" + suffix);
        }
    }

    @Test
    void aPublishedPortAnswersOnLoopbackAndIsShown() throws Exception {
        int port = freePort();
        String name = "web-" + suffix;
        String id = docker("run", "-d", "--name", name, "-e", "PAGE=hello " + suffix, "-p", port + ":80", image,
                "sh", "-c", SERVE).assertSuccess().stdout().strip();
        engine.removeAfterwards(id);

        assertThat(awaitPage("http://127.0.0.1:" + port + "/index.html")).isEqualTo("hello " + suffix + "\n");
        assertThat(docker("port", name, "80/tcp").assertSuccess().stdout().strip()).isEqualTo("0.0.0.0:" + port);
        assertThat(docker("ps", "--filter", "name=" + name, "--format", "{{.Ports}}").assertSuccess().stdout().strip())
                .isEqualTo("0.0.0.0:" + port + "->80/tcp");
        // the program talks to itself over loopback
        assertThat(docker("exec", name, "wget", "-qO-", "http://127.0.0.1/index.html").assertSuccess().stdout())
                .isEqualTo("hello " + suffix + "\n");

        String gateway = docker("network", "inspect", "bridge", "--format", "{{(index .IPAM.Config 0).Gateway}}")
                .assertSuccess().stdout().strip();
        String[] settings = docker("inspect", "--format", "{{.NetworkSettings.IPAddress}} {{.NetworkSettings.Gateway}} "
                + "{{.NetworkSettings.MacAddress}} {{.NetworkSettings.Networks.bridge.IPAddress}}", name)
                .assertSuccess().stdout().strip().split(" ");
        assertThat(settings[1]).isEqualTo(gateway);
        assertThat(settings[3]).isEqualTo(settings[0]);
        assertThat(settings[2]).startsWith("02:42:");
        // the container's own address answers from the host too
        assertThat(awaitPage("http://" + settings[0] + "/index.html")).isEqualTo("hello " + suffix + "\n");

        docker("rm", "-f", name).assertSuccess();
        assertThat(docker("run", "--rm", "-p", port + ":80", image, "true").assertSuccess().exitCode()).isZero();
    }

    @Test
    void anEphemeralPortIsNamedByDockerPort() throws Exception {
        String name = "eph-" + suffix;
        String id = docker("run", "-d", "--name", name, "-e", "PAGE=ephemeral", "-p", "80", "--expose", "81/udp",
                image, "sh", "-c", SERVE).assertSuccess().stdout().strip();
        engine.removeAfterwards(id);

        String published = docker("port", name, "80").assertSuccess().stdout().strip();
        assertThat(published).matches("0\\.0\\.0\\.0:\\d+");
        int port = Integer.parseInt(published.substring(published.indexOf(':') + 1));
        assertThat(port).isPositive();
        assertThat(awaitPage("http://127.0.0.1:" + port + "/index.html")).isEqualTo("ephemeral\n");
        assertThat(docker("inspect", "--format", "{{json .NetworkSettings.Ports}}", name).assertSuccess().stdout()
                .strip()).isEqualTo("{\"80/tcp\":[{\"HostIp\":\"0.0.0.0\",\"HostPort\":\"" + port + "\"}],"
                        + "\"81/udp\":null}");

        String all = "all-" + suffix;
        engine.removeAfterwards(docker("run", "-d", "--name", all, "-e", "PAGE=all", "-P", "--expose", "80", image,
                "sh", "-c", SERVE).assertSuccess().stdout().strip());
        String allPort = docker("port", all, "80/tcp").assertSuccess().stdout().strip();
        assertThat(awaitPage("http://127.0.0.1:" + allPort.substring(allPort.indexOf(':') + 1) + "/index.html"))
                .isEqualTo("all\n");
    }

    @Test
    void aPortTakenFailsTheStartWithDockerdsMessageAndLeavesNothing() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            String name = "taken-" + suffix;
            Commands.Result failed = docker("run", "-d", "--name", name, "-p", taken.getLocalPort() + ":80", image,
                    "sleep", "100");
            engine.removeAfterwards(name);
            assertThat(failed.exitCode()).isNotZero();
            assertThat(failed.stderr()).contains("Bind for 0.0.0.0:" + taken.getLocalPort()
                    + " failed: port is already allocated");
            assertThat(docker("inspect", "--format", "{{.State.Status}} {{.NetworkSettings.SandboxKey}}", name)
                    .assertSuccess().stdout().strip()).isEqualTo("created");
        }
    }

    @Test
    void containersOnAUserNetworkReachEachOtherByNameButNotOnTheDefaultBridge() {
        String network = "net-" + suffix;
        docker("network", "create", network).assertSuccess();
        String server = "server-" + suffix;
        engine.removeAfterwards(docker("run", "-d", "--name", server, "--network", network, "--network-alias",
                "web-" + suffix, "-e", "PAGE=by name", image, "sh", "-c", SERVE).assertSuccess().stdout().strip());

        assertThat(fetchFrom("--network", network, "http://" + server + "/index.html")).isEqualTo("by name\n");
        assertThat(fetchFrom("--network", network, "http://web-" + suffix + "/index.html")).isEqualTo("by name\n");
        assertThat(docker("network", "inspect", network, "--format", "{{range .Containers}}{{.Name}}{{end}}")
                .assertSuccess().stdout().strip()).isEqualTo(server);

        Commands.Result onBridge = docker("run", "--rm", image, "wget", "-qO-", "http://" + server
                + "/index.html");
        assertThat(onBridge.exitCode()).isNotZero();
        assertThat(onBridge.stderr()).contains("bad address");

        String resolvConf = docker("run", "--rm", "--network", network, "--dns-search", "example.test", image, "cat",
                "/etc/resolv.conf").assertSuccess().stdout();
        String gateway = docker("network", "inspect", network, "--format", "{{(index .IPAM.Config 0).Gateway}}")
                .assertSuccess().stdout().strip();
        assertThat(resolvConf).contains("nameserver " + gateway + "\n").contains("search example.test\n")
                .contains("options ndots:0\n");
    }

    @Test
    void aRunningContainerIsConnectedAndDisconnected() {
        String network = "net-" + suffix;
        docker("network", "create", network).assertSuccess();
        String server = "joins-" + suffix;
        engine.removeAfterwards(docker("run", "-d", "--name", server, "-e", "PAGE=joined", image, "sh", "-c", SERVE)
                .assertSuccess().stdout().strip());

        docker("network", "connect", "--alias", "late-" + suffix, network, server).assertSuccess();
        assertThat(docker("inspect", "--format", "{{len .NetworkSettings.Networks}}", server).assertSuccess().stdout()
                .strip()).isEqualTo("2");
        assertThat(fetchFrom("--network", network, "http://late-" + suffix + "/index.html")).isEqualTo("joined\n");

        docker("network", "disconnect", network, server).assertSuccess();
        assertThat(docker("inspect", "--format", "{{len .NetworkSettings.Networks}}", server).assertSuccess().stdout()
                .strip()).isEqualTo("1");
        assertThat(docker("run", "--rm", "--network", network, image, "wget", "-qO-", "http://late-"
                + suffix + "/index.html").exitCode()).isNotZero();
        docker("network", "rm", network).assertSuccess();
    }

    @Test
    void noneHasLoopbackAndHostsAndResolvConfAreDockerds() {
        assertThat(docker("run", "--rm", "--network", "none", image, "sh", "-c",
                "ip -o addr show lo | grep -c 127.0.0.1; ls /sys/class/net | sort | tr '\\n' ' '")
                .assertSuccess().stdout()).isEqualTo("1\nlo ");

        String hosts = docker("run", "--rm", "--hostname", "box", "--add-host", "db.test:10.9.8.7", "--add-host",
                "host.test:host-gateway", image, "cat", "/etc/hosts").assertSuccess().stdout();
        String gateway = docker("network", "inspect", "bridge", "--format", "{{(index .IPAM.Config 0).Gateway}}")
                .assertSuccess().stdout().strip();
        assertThat(hosts).startsWith("127.0.0.1\tlocalhost\n").contains("10.9.8.7\tdb.test\n")
                .contains(gateway + "\thost.test\n").containsPattern("\\d+\\.\\d+\\.\\d+\\.\\d+\tbox\n");
    }

    private String fetchFrom(String option, String network, String url) {
        return docker("run", "--rm", option, network, image, "wget", "-qO-", url).assertSuccess().stdout();
    }

    private Commands.Result docker(String... arguments) {
        return engine.docker(arguments);
    }

    /** The page at {@code url}, once the server in the container answers (it starts a moment after the run). */
    private static String awaitPage(String url) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return response.body();
                }
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("nothing answered on " + url, notYet);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no page on " + url);
            }
            Thread.sleep(50);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
