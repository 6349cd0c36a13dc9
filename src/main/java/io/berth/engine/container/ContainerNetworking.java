package io.berth.engine.container;

import static io.berth.common.error.ErrorKind.CONFLICT;
import static io.berth.common.error.ErrorKind.INVALID;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.berth.common.error.BerthException;
import io.berth.engine.OnEngine;
import io.berth.engine.docker.ContainerConfig;
import io.berth.engine.docker.EndpointSettings;
import io.berth.engine.docker.HostConfig;
import io.berth.engine.docker.NetworkSettings;
import io.berth.engine.docker.NetworkingConfig;
import io.berth.engine.network.ContainerNetwork;
import io.berth.engine.network.ContainerNetworkRequest;
import io.berth.engine.network.Endpoint;
import io.berth.engine.network.EndpointRequest;
import io.berth.engine.network.HostsFile;
import io.berth.engine.network.Ipv4;
import io.berth.engine.network.NetworkDefinition;
import io.berth.engine.network.NetworkService;
import io.berth.engine.network.PortMapping;
import io.berth.engine.network.ResolvConf;
import io.berth.engine.runtime.spec.Linux;
import io.berth.engine.runtime.spec.Namespace;
import io.berth.engine.runtime.spec.Spec;
import io.berth.engine.runtime.spec.SpecJson;

/**
 * A container's side of the Engine's networking: its network mode and endpoints checked at create, its network set
 * up before each run (a namespace the runtime joins, addresses, published ports, names) and taken down when the run
 * ends, and its /etc/hosts and /etc/resolv.conf written for what it got. The network side does the work
 * ({@link NetworkService}).
 *
 * <p>The networks a container joins are its create body's {@code NetworkingConfig.EndpointsConfig}, completed at create
 * with the network of its {@code NetworkMode} (the default one for {@code default}), and changed by
 * {@code docker network connect} and {@code disconnect}; the mode's network comes first and gets the default route
 * and the published ports.
 */
@Component
@OnEngine
class ContainerNetworking {

    private static final Logger log = LoggerFactory.getLogger(ContainerNetworking.class);
    private static final Path HOST_HOSTS = Path.of("/etc/hosts");
    private static final Path HOST_RESOLV_CONF = Path.of("/etc/resolv.conf");

    /**
     * What a run got: the network namespace its processes join (null: the host's) and what was set up in it (null
     * for {@code host} and {@code container:<id>}); {@code sharedWith} is the container whose namespace it joins.
     */
    record Attached(Path namespace, ContainerNetwork network, String sharedWith) {
    }

    private final NetworkService networks;
    private final ContainerStore store;

    ContainerNetworking(NetworkService networks, ContainerStore store) {
        this.networks = networks;
        this.store = store;
    }

    // ---------------------------------------------------------------------------------------------------- create

    /** The network mode as dockerd reads it: {@code default} and empty are the default {@code bridge}. */
    static String mode(HostConfig hostConfig) {
        String mode = hostConfig.networkMode();
        return mode == null || mode.isEmpty() || mode.equals("default") ? NetworkDefinition.DEFAULT_BRIDGE : mode;
    }

    private static boolean ownsNamespace(String mode) {
        return !mode.equals(NetworkDefinition.HOST) && !mode.startsWith("container:");
    }

    /**
     * Checks a create body's networking before anything is made, as dockerd does: the networks exist, the container
     * of {@code container:<id>} exists, ports and {@code --add-host} entries are valid. Returns dockerd's warnings.
     */
    List<String> check(ContainerConfig config, HostConfig hostConfig, NetworkingConfig networking) {
        String mode = mode(hostConfig);
        List<String> warnings = new ArrayList<>();
        List<PortMapping> ports = PublishedPorts.mappings(config, hostConfig);
        if (mode.startsWith("container:")) {
            store.resolve(mode.substring("container:".length()));
            if (!hostConfig.portBindings().isEmpty() || hostConfig.publishAllPorts()) {
                throw new BerthException(INVALID, "conflicting options: port publishing and the container type "
                        + "network mode");
            }
        } else if (mode.equals(NetworkDefinition.HOST)) {
            if (!ports.isEmpty()) {
                warnings.add("Published ports are discarded when using host network mode");
            }
        } else {
            networks.network(mode);
            for (String network : endpoints(hostConfig, networking).endpointsConfig().keySet()) {
                networks.network(network);
            }
            if (mode.equals(NetworkDefinition.DEFAULT_BRIDGE) && networks.unavailableReason() != null) {
                warnings.add("bridge networking is not available on this node (" + networks.unavailableReason()
                        + "): the container gets loopback only, as with --network none");
            }
        }
        HostsFile.build("check", null, hostConfig.extraHosts(), hostGateway(), List.of());
        return warnings;
    }

    /** The endpoints the container joins: those asked for, and the network of its mode (first). */
    static NetworkingConfig endpoints(HostConfig hostConfig, NetworkingConfig networking) {
        String mode = mode(hostConfig);
        Map<String, EndpointSettings> endpoints = new LinkedHashMap<>();
        if (ownsNamespace(mode) && !mode.equals(NetworkDefinition.NONE)) {
            Map<String, EndpointSettings> asked = endpointsConfig(networking);
            String given = hostConfig.networkMode();
            endpoints.put(mode, asked.getOrDefault(mode,
                    asked.getOrDefault(given, EndpointSettings.unconnected())));
            asked.forEach((name, endpoint) -> {
                if (!name.equals(given) && !name.equals("default")) {
                    endpoints.putIfAbsent(name, endpoint);
                }
            });
        }
        return new NetworkingConfig(endpoints);
    }

    static Map<String, EndpointSettings> endpointsConfig(NetworkingConfig networking) {
        return networking == null || networking.endpointsConfig() == null ? Map.of() : networking.endpointsConfig();
    }

    // ----------------------------------------------------------------------------------------------------- start

    /** Sets up the network of a starting container; undone by {@link #teardown} (also when the start fails). */
    Attached setup(ContainerRecord container) {
        String mode = mode(container.hostConfig());
        if (mode.equals(NetworkDefinition.HOST)) {
            return new Attached(null, null, null);
        }
        if (mode.startsWith("container:")) {
            ContainerRecord other = store.resolve(mode.substring("container:".length()));
            Path namespace = other.state().isRunning() ? networks.namespace(other.id()) : null;
            if (namespace == null) {
                throw new BerthException(CONFLICT, "cannot join network of a non running container: " + other.id());
            }
            return new Attached(namespace, null, other.id());
        }
        List<EndpointRequest> endpoints = endpointRequests(container);
        List<PortMapping> ports = endpoints.isEmpty() ? List.of()
                : PublishedPorts.mappings(container.config(), container.hostConfig());
        ContainerNetwork network = networks.setup(new ContainerNetworkRequest(container.id(),
                container.name().substring(1), container.config().hostname(), endpoints, ports,
                container.hostConfig().dns()));
        return new Attached(network.namespace(), network, null);
    }

    private List<EndpointRequest> endpointRequests(ContainerRecord container) {
        String mode = mode(container.hostConfig());
        Map<String, EndpointSettings> configured = endpointsConfig(container.networkingConfig());
        if (mode.equals(NetworkDefinition.NONE)) {
            return List.of();
        }
        if (networks.unavailableReason() != null && configured.keySet().stream()
                .allMatch(name -> networks.network(name).isDefaultBridge())) {
            return List.of(); // loopback only, as the create's warning said
        }
        List<EndpointRequest> requests = new ArrayList<>();
        configured.forEach((name, endpoint) -> {
            String mac = endpoint.macAddress();
            if (requests.isEmpty() && (mac == null || mac.isEmpty())) {
                mac = container.config().macAddress(); // before API 1.44, --mac-address came in Config
            }
            EndpointSettings.EndpointIpamConfig ipam = endpoint.ipamConfig();
            requests.add(new EndpointRequest(name, endpoint.aliases(), ipam == null ? null : ipam.ipv4Address(),
                    mac));
        });
        return requests;
    }

    /** Takes down what {@link #setup} made; harmless when there is nothing. */
    void teardown(String containerId) {
        try {
            networks.teardown(containerId);
        } catch (RuntimeException e) {
            log.warn("cannot take down the network of container {}: {}", containerId, e.getMessage());
        }
    }

    /** After an Engine restart: the networks of containers that no longer run go. */
    void reconcile(Collection<String> runningContainerIds) {
        networks.reconcile(runningContainerIds);
    }

    /** /etc/hostname, /etc/hosts and /etc/resolv.conf of a run, as dockerd writes them for what it got. */
    void writeFiles(ContainerRecord container, Attached attached, ContainerFiles files) throws IOException {
        String hostname = container.config().hostname();
        String hosts;
        String resolvConf;
        if (attached.namespace() == null) {
            hosts = readOrEmpty(HOST_HOSTS);
            resolvConf = readOrEmpty(HOST_RESOLV_CONF);
        } else if (attached.sharedWith() != null) {
            ContainerFiles other = new ContainerFiles(store.directory(attached.sharedWith()));
            hosts = readOrEmpty(other.hosts());
            resolvConf = readOrEmpty(other.resolvConf());
        } else {
            HostConfig hostConfig = container.hostConfig();
            List<Endpoint> endpoints = attached.network().endpoints();
            ResolvConf resolv = ResolvConf.ofHost(HOST_RESOLV_CONF).override(hostConfig.dns(), hostConfig.dnsSearch(),
                    hostConfig.dnsOptions());
            NetworkDefinition first = endpoints.isEmpty() ? null : networks.network(endpoints.get(0).networkId());
            resolvConf = first != null && networks.resolvesNames(first)
                    ? resolv.forNetworkDns(endpoints.get(0).gateway()) : resolv.forNetworkWithoutDns();
            List<Ipv4> addresses = endpoints.stream().map(endpoint -> endpoint.address().address()).toList();
            hosts = HostsFile.build(hostname, container.config().domainname(), hostConfig.extraHosts(),
                    hostGateway(), addresses);
        }
        files.writeNetworkFiles(hostname, hosts, resolvConf);
    }

    /** Has the bundle's spec join {@code namespace} (null: the host's network), rewriting it only when it differs. */
    static void joinNamespace(Path bundle, Path namespace) throws IOException {
        if (namespace == null) {
            return; // a host-network container's spec has had no network namespace since its create
        }
        Spec spec = SpecJson.read(bundle);
        Linux linux = spec.linux();
        List<Namespace> current = linux == null || linux.namespaces() == null ? List.of() : linux.namespaces();
        List<Namespace> wanted = new ArrayList<>();
        Namespace joined = new Namespace("network", namespace.toString());
        for (Namespace ns : current) {
            wanted.add(ns.type().equals("network") ? joined : ns);
        }
        if (!wanted.contains(joined)) {
            wanted.add(joined);
        }
        if (wanted.equals(current)) {
            return;
        }
        SpecJson.write(new Spec(spec.ociVersion(), spec.process(), spec.root(), spec.hostname(), spec.mounts(),
                new Linux(wanted, linux.cgroupsPath(), linux.resources(), linux.devices(), linux.maskedPaths(),
                        linux.readonlyPaths(), linux.rootfsPropagation(), linux.sysctl(), linux.seccomp()),
                spec.annotations()), bundle);
    }

    /** What {@code host-gateway} stands for: the default bridge's gateway; null where there is none. */
    private Ipv4 hostGateway() {
        try {
            return networks.hostGateway();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    private static String readOrEmpty(Path file) throws IOException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return "";
        }
    }

    // ----------------------------------------------------------------------------------------------------- views

    /** The running container's network, or null. */
    ContainerNetwork live(ContainerRecord container) {
        return container.state().isRunning() ? networks.container(container.id()) : null;
    }

    /**
     * Inspect's {@code NetworkSettings}: the endpoints, the published ports and, as dockerd still sends them, the
     * default bridge's address, gateway and MAC address at the top level.
     */
    NetworkSettings settings(ContainerRecord container) {
        ContainerNetwork live = live(container);
        Map<String, EndpointSettings> endpoints = networks(container, live);
        EndpointSettings bridge = endpoints.getOrDefault(NetworkDefinition.DEFAULT_BRIDGE,
                EndpointSettings.unconnected());
        String sandboxKey = "";
        if (container.state().isRunning() && ownsNamespace(mode(container.hostConfig()))) {
            Path namespace = live != null ? live.namespace() : networks.namespace(container.id());
            sandboxKey = namespace == null ? "" : namespace.toString();
        }
        return new NetworkSettings("", "", sandboxKey, PublishedPorts.inspect(container.config(), live), false, "", 0,
                null, null, orEmpty(bridge.endpointId()), orEmpty(bridge.gateway()), "", 0, orEmpty(bridge.ipAddress()),
                bridge.ipPrefixLen(), "", orEmpty(bridge.macAddress()), endpoints);
    }

    /** Inspect's {@code NetworkSettings.Networks} and ps's: the endpoints by network name, with what a run got. */
    Map<String, EndpointSettings> networks(ContainerRecord container, ContainerNetwork live) {
        String mode = mode(container.hostConfig());
        Map<String, EndpointSettings> shown = new TreeMap<>();
        if (mode.startsWith("container:")) {
            return shown;
        }
        if (mode.equals(NetworkDefinition.HOST) || mode.equals(NetworkDefinition.NONE)) {
            shown.put(mode, endpointSettings(EndpointSettings.unconnected(), null, networkId(mode)));
            return shown;
        }
        endpointsConfig(container.networkingConfig()).forEach((name, asked) -> {
            NetworkDefinition network = find(name);
            Endpoint endpoint = live == null || network == null ? null : live.endpoint(network.id());
            shown.put(network == null ? name : network.name(), endpointSettings(asked, endpoint,
                    network == null ? "" : network.id()));
        });
        return shown;
    }

    private String networkId(String name) {
        NetworkDefinition network = find(name);
        return network == null ? "" : network.id();
    }

    private NetworkDefinition find(String idOrName) {
        try {
            return networks.network(idOrName);
        } catch (BerthException e) {
            return null; // removed since: shown by the name it was asked by
        }
    }

    static EndpointSettings endpointSettings(EndpointSettings asked, Endpoint endpoint, String networkId) {
        if (endpoint == null) {
            return new EndpointSettings(asked.ipamConfig(), asked.links(), asked.aliases(), asked.macAddress(),
                    asked.driverOpts(), networkId, "", "", "", 0, "", "", 0, null);
        }
        return new EndpointSettings(asked.ipamConfig(), asked.links(), asked.aliases(), endpoint.macAddress(),
                asked.driverOpts(), endpoint.networkId(), endpoint.endpointId(), endpoint.gateway().toString(),
                endpoint.address().address().toString(), endpoint.address().prefix(), "", "", 0,
                endpoint.dnsNames().isEmpty() ? null : endpoint.dnsNames());
    }
}
