package io.berth.engine.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

import io.berth.common.error.BerthException;
import io.berth.common.error.ErrorKind;
import io.berth.support.Commands;

/**
 * Bridge networking on the real kernel, through the service the container side will call: namespaces, the CNI
 * bridge plugin, iptables and aardvark-dns, with processes in the namespaces standing in for containers.
 */
class BridgeNetworkingTest {

    @RegisterExtension
    final NetworkFixture fixture = new NetworkFixture();

    @Test
    void containersOnAUserNetworkReachEachOtherByNameAliasAndShortId() throws Exception {
        NetworkDefinition network = fixture.userNetwork("names");
        ContainerNetwork web = fixture.setup("web", List.of(new EndpointRequest(network.name(), List.of("www"),
                null)), List.of());
        ContainerNetwork client = fixture.setup("client", List.of(EndpointRequest.of(network.name())), List.of());
        fixture.serve(web, "hello from web");
        String resolvConf = ResolvConf.ofHost(Path.of("/etc/resolv.conf")).override(null, null, null)
                .forNetworkDns(client.endpoints().get(0).gateway());

        for (String name : List.of("web", "www", web.containerId().substring(0, 12))) {
            Commands.Result fetched = fixture.inContainer(client, resolvConf, "busybox", "wget", "-q", "-O", "-",
                    "http://" + name + "/index.html");
            assertThat(fetched.stdout()).as("GET http://%s/ from the client: %s", name, fetched.stderr())
                    .isEqualTo("hello from web");
        }
        assertThat(resolvConf).contains("nameserver " + network.subnet().gateway() + "\n").contains("ndots:0");
        assertThat(web.endpoints().get(0).dnsNames()).containsExactly("web", "www", web.containerId().substring(0, 12));
        assertThat(fixture.events).extracting(NetworkEvent::action).containsSubsequence("create", "connect",
                "connect");
    }

    @Test
    void theDefaultBridgeHasNoNameServerOfItsOwn() throws Exception {
        ContainerNetwork container = fixture.setup("plain", List.of(EndpointRequest.of("bridge")), List.of());

        assertThat(container.endpoints().get(0).dnsNames()).isEmpty();
        NetworkDefinition bridge = fixture.service.network("bridge");
        assertThat(Path.of(fixture.properties.runDir().toString(), "dns", bridge.shortId())).doesNotExist();
        String resolvConf = ResolvConf.parse(Path.of("/etc/resolv.conf"), "nameserver 127.0.0.53\n"
                + "nameserver 192.0.2.53\nsearch example.com\n").forNetworkWithoutDns();
        assertThat(resolvConf).contains("nameserver 192.0.2.53\n").doesNotContain("127.0.0.53\n")
                .doesNotContain("nameserver " + bridge.subnet().gateway());
    }

    @Test
    void aPublishedPortAnswersOnLoopbackOnTheHostsAddressesAndFromAnotherContainer() throws Exception {
        NetworkDefinition network = fixture.userNetwork("ports");
        ContainerNetwork web = fixture.setup("web", List.of(EndpointRequest.of(network.name())),
                List.of(new PortMapping(80, "tcp", "", 0), new PortMapping(80, "tcp", "127.0.0.1", 0)));
        ContainerNetwork other = fixture.setup("other", List.of(EndpointRequest.of("bridge")), List.of());
        fixture.serve(web, "published");
        int anyAddress = web.ports().get(0).hostPort();
        int loopbackOnly = web.ports().get(1).hostPort();

        assertThat(anyAddress).isBetween(1024, 65535);
        assertThat(NetworkFixture.get("http://127.0.0.1:" + anyAddress + "/index.html")).isEqualTo("published");
        assertThat(NetworkFixture.get("http://127.0.0.1:" + loopbackOnly + "/index.html")).isEqualTo("published");
        for (String address : hostAddresses()) {
            assertThat(NetworkFixture.get("http://" + address + ":" + anyAddress + "/index.html"))
                    .as("through %s", address).isEqualTo("published");
        }
        // Another container, on another network, through the host's address on its own bridge.
        String gateway = other.endpoints().get(0).gateway().toString();
        Commands.Result fetched = fixture.inContainer(other, "", "busybox", "wget", "-q", "-O", "-",
                "http://" + gateway + ":" + anyAddress + "/index.html");
        assertThat(fetched.stdout()).as(fetched.stderr()).isEqualTo("published");
        // And the container itself, through its own published port (hairpin).
        Commands.Result itself = fixture.inContainer(web, "", "busybox", "wget", "-q", "-O", "-",
                "http://" + web.endpoints().get(0).gateway() + ":" + anyAddress + "/index.html");
        assertThat(itself.stdout()).as(itself.stderr()).isEqualTo("published");
    }

    @Test
    void aTakenHostPortFailsWithDockerdsMessageAndLeavesNothingBehind() throws Exception {
        NetworkDefinition network = fixture.userNetwork("taken");
        ContainerNetwork first = fixture.setup("first", List.of(EndpointRequest.of(network.name())),
                List.of(new PortMapping(80, "tcp", "", 0)));
        int port = first.ports().get(0).hostPort();
        NetworkFixture.Leftovers before = fixture.leftovers();

        assertThatThrownBy(() -> fixture.setup("second", List.of(EndpointRequest.of(network.name())),
                List.of(new PortMapping(8080, "tcp", "", port))))
                .isInstanceOf(BerthException.class)
                .hasMessageStartingWith("driver failed programming external connectivity on endpoint second (")
                .hasMessageEndingWith("): Bind for 0.0.0.0:" + port + " failed: port is already allocated");
        try (ServerSocket program = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThatThrownBy(() -> fixture.setup("third", List.of(EndpointRequest.of(network.name())),
                    List.of(new PortMapping(80, "tcp", "", program.getLocalPort()))))
                    .hasMessageEndingWith("Bind for 0.0.0.0:" + program.getLocalPort()
                            + " failed: port is already allocated");
        }

        assertThatThrownBy(() -> fixture.setup("elsewhere", List.of(EndpointRequest.of(network.name())),
                List.of(new PortMapping(80, "tcp", "203.0.113.7", 0))))
                .hasMessageEndingWith("bind: cannot assign requested address");

        assertThat(fixture.leftovers()).isEqualTo(before);
        assertThat(fixture.service.members(network)).containsOnlyKeys(first.containerId());
        ContainerNetwork next = fixture.setup("next", List.of(EndpointRequest.of(network.name())), List.of());
        assertThat(next.endpoints().get(0).address().address())
                .as("the address the failed starts had is free again")
                .isEqualTo(first.endpoints().get(0).address().address().plus(1));
    }

    @Test
    void addressesAndPortsSurviveARestartOfTheService() throws Exception {
        NetworkDefinition network = fixture.userNetwork("restart");
        ContainerNetwork a = fixture.setup("a", List.of(EndpointRequest.of(network.name())),
                List.of(new PortMapping(80, "tcp", "", 0)));
        ContainerNetwork b = fixture.setup("b", List.of(EndpointRequest.of(network.name())), List.of());
        fixture.serve(a, "still here");

        NetworkService restarted = fixture.restart();

        assertThat(restarted.network(network.name())).isEqualTo(network);
        assertThat(restarted.members(network)).containsOnlyKeys(a.containerId(), b.containerId());
        ContainerNetwork c = fixture.setup("c", List.of(EndpointRequest.of(network.name())), List.of());
        assertThat(c.endpoints().get(0).address().address())
                .isNotIn(a.endpoints().get(0).address().address(), b.endpoints().get(0).address().address());
        int port = a.ports().get(0).hostPort();
        assertThat(NetworkFixture.get("http://127.0.0.1:" + port + "/index.html")).isEqualTo("still here");
        assertThatThrownBy(() -> fixture.setup("d", List.of(EndpointRequest.of(network.name())),
                List.of(new PortMapping(80, "tcp", "", port))))
                .hasMessageContaining("Bind for 0.0.0.0:" + port + " failed: port is already allocated");

        restarted.reconcile(List.of(b.containerId(), c.containerId()));
        assertThat(restarted.members(network)).containsOnlyKeys(b.containerId(), c.containerId());
        assertThat(restarted.container(a.containerId())).isNull();
    }

    @Test
    void aNetworkRemovedAfterARestartTakesTheRulesAnEarlierRunWroteAlong() throws Exception {
        NetworkDefinition network = fixture.userNetwork("earlier");
        fixture.service.teardown(fixture.setup("once", List.of(EndpointRequest.of(network.name())), List.of())
                .containerId());
        assertThat(fixture.leftovers().firewallRules()).anyMatch(rule -> rule.contains(network.bridge()));

        fixture.restart().remove(network.name());

        assertThat(fixture.leftovers().firewallRules()).noneMatch(rule -> rule.contains(network.bridge()));
        assertThat(Path.of("/sys/class/net", network.bridge())).doesNotExist();
    }

    @Test
    void containersStartingAtOnceNeverGetTheSameAddress() throws Exception {
        NetworkDefinition network = fixture.userNetwork("parallel");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<ContainerNetwork>> starts = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                int n = i;
                starts.add(pool.submit(() -> fixture.setup("p" + n, List.of(EndpointRequest.of(network.name())),
                        List.of())));
            }
            Set<Ipv4> addresses = Collections.synchronizedSet(new HashSet<>());
            for (Future<ContainerNetwork> start : starts) {
                assertThat(addresses.add(start.get().endpoints().get(0).address().address())).isTrue();
            }
            assertThat(addresses).hasSize(24);
            assertThat(Files.list(Path.of("/sys/class/net", network.bridge(), "brif")).count()).isEqualTo(24);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aNetworkInUseIsNotRemoved() throws Exception {
        NetworkDefinition network = fixture.userNetwork("busy");
        ContainerNetwork container = fixture.setup("busy", List.of(EndpointRequest.of(network.name())), List.of());

        assertThatThrownBy(() -> fixture.service.remove(network.name()))
                .isInstanceOf(BerthException.class)
                .hasMessage("error while removing network: network " + network.name() + " id " + network.id()
                        + " has active endpoints")
                .extracting(e -> ((BerthException) e).kind()).isEqualTo(ErrorKind.DENIED);

        fixture.service.teardown(container.containerId());
        fixture.service.remove(network.name());
        assertThat(Path.of("/sys/class/net", network.bridge())).doesNotExist();
        assertThat(fixture.events).extracting(NetworkEvent::action).endsWith("disconnect", "destroy");
    }

    @Test
    void aRunningContainerConnectsToAndDisconnectsFromAnotherNetwork() throws Exception {
        NetworkDefinition front = fixture.userNetwork("front");
        NetworkDefinition back = fixture.userNetwork("back");
        ContainerNetwork db = fixture.setup("db", List.of(EndpointRequest.of(back.name())), List.of());
        ContainerNetwork app = fixture.setup("app", List.of(EndpointRequest.of(front.name())), List.of());
        fixture.serve(db, "rows");

        Endpoint joined = fixture.service.connect(app.containerId(), "app", new EndpointRequest(back.name(),
                List.of("application"), null));

        assertThat(joined.interfaceName()).isEqualTo("eth1");
        ContainerNetwork connected = fixture.service.container(app.containerId());
        String resolvConf = ResolvConf.parse(Path.of("/etc/resolv.conf"), "").forNetworkDns(back.subnet().gateway());
        Commands.Result fetched = fixture.inContainer(connected, resolvConf, "busybox", "wget", "-q", "-O", "-",
                "http://db/index.html");
        assertThat(fetched.stdout()).as(fetched.stderr()).isEqualTo("rows");

        fixture.service.disconnect(app.containerId(), back.name());
        Commands.Result after = fixture.inContainer(connected, "", "busybox", "wget", "-q", "-T", "2", "-O", "-",
                "http://" + db.endpoints().get(0).address().address() + "/index.html");
        assertThat(after.succeeded()).isFalse();
        assertThat(fixture.service.members(back)).containsOnlyKeys(db.containerId());
    }

    @Test
    void connectAndDisconnectWireARunningContainerAndOnlyRecordAStoppedOne() throws Exception {
        NetworkDefinition front = fixture.userNetwork("front2");
        NetworkDefinition back = fixture.userNetwork("back2");
        ContainerNetwork running = fixture.setup("running", List.of(EndpointRequest.of(front.name())), List.of());
        ContainerSide side = new ContainerSide();
        side.targets.put("running", new NetworkContainers.Target(running.containerId(), "running", "running", true,
                front.name()));
        side.targets.put("stopped", new NetworkContainers.Target("f".repeat(64), "stopped", "stopped", false,
                "default"));
        side.targets.put("hosted", new NetworkContainers.Target("e".repeat(64), "hosted", "hosted", true, "host"));
        NetworkAttachments attachments = new NetworkAttachments(fixture.service,
                new StaticListableBeanFactory(Map.of("side", side)).getBeanProvider(NetworkContainers.class));

        attachments.connect(back.name(), "running", List.of("api"), null, "02:42:C0:FF:EE:01");
        attachments.connect(back.name(), "stopped", List.of(), null, null);

        Endpoint joined = fixture.service.container(running.containerId()).endpoint(back.id());
        assertThat(joined.dnsNames()).contains("running", "api");
        assertThat(joined.macAddress()).isEqualTo("02:42:c0:ff:ee:01");
        ContainerNetwork wired = fixture.service.container(running.containerId());
        assertThat(fixture.inContainer(wired, "", "busybox", "ip", "link", "show", "eth1").stdout())
                .contains("link/ether 02:42:c0:ff:ee:01");
        assertThat(fixture.inContainer(wired, "", "busybox", "ip", "link", "show", "eth0").stdout())
                .contains("link/ether " + Endpoint.macAddress(running.endpoints().get(0).address().address()));
        assertThat(side.calls).containsExactly("connected running " + back.name() + " " + joined.address(),
                "connected stopped " + back.name() + " at its next start");
        assertThat(fixture.service.container("f".repeat(64))).isNull();
        assertThatThrownBy(() -> attachments.connect(back.name(), "hosted", List.of(), null, null))
                .hasMessage("container cannot be disconnected from host network or connected to host network");
        assertThatThrownBy(() -> attachments.connect("none", "running", List.of(), null, null))
                .hasMessageContaining("private (none) mode");
        assertThatThrownBy(() -> attachments.connect(back.name(), "running", List.of(), null, null))
                .hasMessage("endpoint with name running already exists in network " + back.name());

        attachments.disconnect(back.name(), "running");
        assertThat(fixture.service.container(running.containerId()).endpoint(back.id())).isNull();
        assertThat(side.calls).endsWith("disconnected running " + back.name());
        assertThat(fixture.events).filteredOn(event -> back.id().equals(event.networkId()))
                .extracting(NetworkEvent::action).containsExactly("create", "connect", "disconnect");
    }

    /** The container side as the network side sees it through {@link NetworkContainers}. */
    private static final class ContainerSide implements NetworkContainers {

        final Map<String, Target> targets = new HashMap<>();
        final List<String> calls = new ArrayList<>();

        @Override
        public Target find(String idOrName) {
            Target target = targets.get(idOrName);
            if (target == null) {
                throw new BerthException(ErrorKind.NOT_FOUND, "No such container: " + idOrName);
            }
            return target;
        }

        @Override
        public void connected(String containerId, NetworkDefinition network, EndpointRequest request,
                Endpoint endpoint) {
            calls.add("connected " + name(containerId) + " " + network.name() + " "
                    + (endpoint == null ? "at its next start" : endpoint.address()));
        }

        @Override
        public void disconnected(String containerId, NetworkDefinition network) {
            calls.add("disconnected " + name(containerId) + " " + network.name());
        }

        private String name(String id) {
            return targets.values().stream().filter(target -> target.id().equals(id)).findFirst().orElseThrow().name();
        }
    }

    /** The host's own IPv4 addresses but loopback: traffic to them never leaves the machine. */
    private static List<String> hostAddresses() throws Exception {
        List<String> addresses = new ArrayList<>();
        for (NetworkInterface iface : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (iface.isUp() && !iface.isLoopback() && !iface.getName().startsWith("bt")) {
                for (InetAddress address : Collections.list(iface.getInetAddresses())) {
                    if (address instanceof Inet4Address) {
                        addresses.add(address.getHostAddress());
                    }
                }
            }
        }
        return addresses;
    }
}
