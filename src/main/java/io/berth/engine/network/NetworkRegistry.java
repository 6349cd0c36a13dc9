package io.berth.engine.network;

import static io.berth.common.error.ErrorKind.CONFLICT;
import static io.berth.common.error.ErrorKind.DENIED;
import static io.berth.common.error.ErrorKind.INVALID;
import static io.berth.common.error.ErrorKind.NOT_FOUND;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.berth.common.error.BerthException;

/**
 * The node's networks: their definitions (kept in the {@link NetworkStore}), the addresses given out on each, and
 * which containers are on each. Names and ids resolve as dockerd resolves them: full id, then full name, then a
 * unique id prefix. Adding a container to a network and removing the network are decided under one lock, so a
 * network in use is never removed.
 */
final class NetworkRegistry {

    private static final Logger log = LoggerFactory.getLogger(NetworkRegistry.class);

    static final String OPTION_BRIDGE_NAME = "com.docker.network.bridge.name";
    static final String OPTION_MTU = "com.docker.network.driver.mtu";
    private static final Pattern INTERFACE_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,14}");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A network and what goes on on it. */
    static final class Network {

        private final NetworkDefinition definition;
        private final AddressAllocator addresses;
        /** Containers with an endpoint here, or on their way to one. */
        final Set<String> containers = ConcurrentHashMap.newKeySet();
        /** Whether its bridge was brought up (and the firewall written) by this Engine process. */
        volatile boolean up;

        Network(NetworkDefinition definition) {
            this.definition = definition;
            this.addresses = definition.subnet() == null ? null : new AddressAllocator(definition.subnet());
        }

        NetworkDefinition definition() {
            return definition;
        }

        AddressAllocator addresses() {
            return addresses;
        }
    }

    private final NetworkStore store;
    private final SubnetChooser subnets;
    private final NetworkProperties properties;
    private final Clock clock;
    private final Map<String, Network> networks = new LinkedHashMap<>();

    NetworkRegistry(NetworkStore store, SubnetChooser subnets, NetworkProperties properties, Clock clock) {
        this.store = store;
        this.subnets = subnets;
        this.properties = properties;
        this.clock = clock;
        for (NetworkDefinition definition : store.networks()) {
            networks.put(definition.id(), new Network(definition));
        }
        ensureBuiltins();
    }

    /** The network named, by id, name or unique id prefix. */
    synchronized Network find(String idOrName) {
        if (idOrName == null || idOrName.isEmpty()) {
            throw new BerthException(NOT_FOUND, "network  not found");
        }
        Network byId = networks.get(idOrName);
        if (byId != null) {
            return byId;
        }
        for (Network network : networks.values()) {
            if (network.definition.name().equals(idOrName)) {
                return network;
            }
        }
        Network byPrefix = null;
        for (Network network : networks.values()) {
            if (network.definition.id().startsWith(idOrName)) {
                if (byPrefix != null) {
                    throw new BerthException(INVALID, "network " + idOrName + " is ambiguous (2 matches found based "
                            + "on ID prefix)");
                }
                byPrefix = network;
            }
        }
        if (byPrefix == null) {
            throw new BerthException(NOT_FOUND, "network " + idOrName + " not found");
        }
        return byPrefix;
    }

    synchronized List<Network> all() {
        return List.copyOf(networks.values());
    }

    synchronized Network byId(String id) {
        return networks.get(id);
    }

    /** The bridge networks, for the firewall. */
    synchronized List<NetworkDefinition> bridges() {
        return networks.values().stream().map(Network::definition).filter(NetworkDefinition::hasBridge).toList();
    }

    /** Marks {@code containerId} as on its way onto the network: the network cannot be removed until it has left. */
    synchronized Network join(String idOrName, String containerId) {
        Network network = find(idOrName);
        network.containers.add(containerId);
        return network;
    }

    synchronized void leave(Network network, String containerId) {
        network.containers.remove(containerId);
    }

    synchronized NetworkDefinition create(NetworkCreate request) {
        String name = request.name() == null ? "" : request.name();
        if (name.isBlank()) {
            throw new BerthException(INVALID, "invalid name: " + name);
        }
        if (NetworkDefinition.PREDEFINED.contains(name)) {
            throw new BerthException(DENIED, "operation is not permitted on predefined " + name + " network ");
        }
        String driver = request.driver() == null || request.driver().isEmpty() ? "bridge" : request.driver();
        if (driver.equals("host") || driver.equals("null")) {
            throw new BerthException(DENIED, "only one instance of \"" + driver + "\" network is allowed");
        }
        if (!driver.equals("bridge")) {
            throw new BerthException(NOT_FOUND, "could not find plugin " + driver + " in v1 plugin registry: plugin "
                    + "not found");
        }
        if (request.ipamDriver() != null && !request.ipamDriver().isEmpty() && !request.ipamDriver().equals("default")) {
            throw new BerthException(NOT_FOUND, "could not find plugin " + request.ipamDriver()
                    + " in v1 plugin registry: plugin not found");
        }
        if (request.enableIpv6()) {
            throw new BerthException(INVALID, "IPv6 networks are not supported by this Engine: its networks are "
                    + "IPv4 only");
        }
        for (Network network : networks.values()) {
            if (network.definition.name().equals(name)) {
                throw new BerthException(CONFLICT, "network with name " + name + " already exists");
            }
        }
        String id = newId();
        Map<String, String> options = request.options();
        String bridge = options.getOrDefault(OPTION_BRIDGE_NAME, "berth-" + id.substring(0, 9));
        checkBridgeName(bridge);
        int mtu = mtu(options.get(OPTION_MTU));
        checkOptions(options);

        Subnet subnet;
        boolean configured = !request.subnets().isEmpty();
        if (configured) {
            subnet = requestedSubnet(request.subnets());
        } else {
            subnet = Subnet.of(subnets.choose(takenSubnets()).toString(), null, null);
        }
        for (Network other : networks.values()) {
            NetworkDefinition existing = other.definition;
            if (existing.subnet() != null && existing.subnet().block().overlaps(subnet.block())) {
                throw new BerthException(DENIED, "cannot create network " + id + " (" + bridge + "): conflicts with "
                        + "network " + existing.id() + " (" + existing.bridge() + "): networks have overlapping IPv4");
            }
            if (bridge.equals(existing.bridge())) {
                throw new BerthException(DENIED, "cannot create network " + id + " (" + bridge + "): conflicts with "
                        + "network " + existing.id() + " (" + existing.bridge() + "): networks have same bridge name");
            }
        }
        NetworkDefinition definition = new NetworkDefinition(id, name, "bridge", List.of(subnet), configured,
                request.internal(), request.attachable(), request.labels(), options, clock.instant(), bridge, mtu);
        store.save(definition);
        networks.put(id, new Network(definition));
        return definition;
    }

    /** Forgets a network nobody is on; dockerd's words when it is built in or in use. */
    synchronized NetworkDefinition remove(String idOrName) {
        Network network = find(idOrName);
        NetworkDefinition definition = network.definition;
        if (definition.isBuiltin()) {
            throw new BerthException(DENIED, definition.name() + " is a pre-defined network and cannot be removed");
        }
        if (!network.containers.isEmpty()) {
            throw new BerthException(DENIED, "error while removing network: network " + definition.name() + " id "
                    + definition.id() + " has active endpoints");
        }
        store.deleteNetwork(definition.id());
        networks.remove(definition.id());
        return definition;
    }

    private List<Cidr> takenSubnets() {
        List<Cidr> taken = new ArrayList<>();
        for (Network network : networks.values()) {
            if (network.definition.subnet() != null) {
                taken.add(network.definition.subnet().block());
            }
        }
        return taken;
    }

    private static Subnet requestedSubnet(List<NetworkCreate.SubnetRequest> requested) {
        List<NetworkCreate.SubnetRequest> ipv4 = new ArrayList<>();
        for (NetworkCreate.SubnetRequest entry : requested) {
            String subnet = entry.subnet() == null ? "" : entry.subnet();
            if (subnet.contains(":")) {
                throw new BerthException(INVALID, "IPv6 networks are not supported by this Engine: its networks are "
                        + "IPv4 only");
            }
            if (subnet.isEmpty()) {
                throw new BerthException(INVALID, "invalid network config:\na subnet is required with a gateway or "
                        + "an ip-range");
            }
            if (entry.auxiliaryAddresses() != null && !entry.auxiliaryAddresses().isEmpty()) {
                throw new BerthException(INVALID, "auxiliary addresses are not supported by this Engine");
            }
            ipv4.add(entry);
        }
        if (ipv4.size() > 1) {
            throw new BerthException(DENIED, "bridge driver doesn't support multiple subnets");
        }
        NetworkCreate.SubnetRequest only = ipv4.get(0);
        return Subnet.of(only.subnet(), only.gateway(), only.ipRange());
    }

    private static void checkBridgeName(String bridge) {
        if (!INTERFACE_NAME.matcher(bridge).matches()) {
            throw new BerthException(INVALID, "invalid bridge name " + bridge + ": at most 15 letters, digits, '_', "
                    + "'.' or '-'");
        }
    }

    private int mtu(String value) {
        if (value == null || value.isEmpty()) {
            return properties.mtu();
        }
        try {
            int mtu = Integer.parseInt(value);
            if (mtu >= 68 && mtu <= 65535) {
                return mtu;
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new BerthException(INVALID, "invalid MTU number: " + value);
    }

    /** Options this Engine cannot honour are refused rather than silently ignored. */
    private static void checkOptions(Map<String, String> options) {
        if ("false".equals(options.get("com.docker.network.bridge.enable_icc"))) {
            throw new BerthException(INVALID, "com.docker.network.bridge.enable_icc=false is not supported by this "
                    + "Engine");
        }
        if ("false".equals(options.get("com.docker.network.bridge.enable_ip_masquerade"))) {
            throw new BerthException(INVALID, "com.docker.network.bridge.enable_ip_masquerade=false is not supported "
                    + "by this Engine");
        }
        String binding = options.get("com.docker.network.bridge.host_binding_ipv4");
        if (binding != null && !binding.equals("0.0.0.0")) {
            throw new BerthException(INVALID, "com.docker.network.bridge.host_binding_ipv4 is not supported by this "
                    + "Engine");
        }
    }

    /**
     * The default bridge, host and none, made at the first start and kept. The default bridge follows
     * {@code berth.engine.network.bridge-name} and {@code bridge-subnet} when they change while no container is on it.
     */
    private void ensureBuiltins() {
        Network bridge = byName(NetworkDefinition.DEFAULT_BRIDGE);
        NetworkDefinition wanted = defaultBridge(bridge == null ? null : bridge.definition);
        if (bridge == null || !bridge.definition.equals(wanted)) {
            if (bridge != null) {
                log.info("The default bridge network changes from {} on {} to {} on {}",
                        bridge.definition.subnet().block(), bridge.definition.bridge(), wanted.subnet().block(),
                        wanted.bridge());
            }
            store.save(wanted);
            networks.put(wanted.id(), new Network(wanted));
        }
        for (String name : List.of(NetworkDefinition.HOST, NetworkDefinition.NONE)) {
            if (byName(name) == null) {
                NetworkDefinition definition = new NetworkDefinition(newId(), name,
                        name.equals(NetworkDefinition.HOST) ? "host" : "null", List.of(), false, false, false,
                        Map.of(), Map.of(), clock.instant(), null, 0);
                store.save(definition);
                networks.put(definition.id(), new Network(definition));
            }
        }
    }

    /** Whether the default bridge's record may change now (no container on it; the service says). */
    private boolean defaultBridgeInUse(NetworkDefinition current) {
        return store.containers().stream().anyMatch(container -> container.endpoint(current.id()) != null);
    }

    private NetworkDefinition defaultBridge(NetworkDefinition current) {
        String bridgeName = properties.bridgeName();
        checkBridgeName(bridgeName);
        if (current != null && defaultBridgeInUse(current)) {
            return current;
        }
        Subnet subnet;
        if (!properties.bridgeSubnet().isEmpty()) {
            subnet = Subnet.of(properties.bridgeSubnet(), null, null);
        } else if (current != null && current.subnet() != null && !current.subnetsConfigured()) {
            subnet = current.subnet();
        } else {
            List<Cidr> taken = new ArrayList<>();
            for (Network network : networks.values()) {
                if (network.definition.subnet() != null && !network.definition.isDefaultBridge()) {
                    taken.add(network.definition.subnet().block());
                }
            }
            subnet = Subnet.of(subnets.choose(taken).toString(), null, null);
        }
        Map<String, String> options = new LinkedHashMap<>();
        options.put("com.docker.network.bridge.default_bridge", "true");
        options.put("com.docker.network.bridge.enable_icc", "true");
        options.put("com.docker.network.bridge.enable_ip_masquerade", "true");
        options.put("com.docker.network.bridge.host_binding_ipv4", "0.0.0.0");
        options.put(OPTION_BRIDGE_NAME, bridgeName);
        options.put(OPTION_MTU, Integer.toString(properties.mtu()));
        return new NetworkDefinition(current == null ? newId() : current.id(), NetworkDefinition.DEFAULT_BRIDGE,
                "bridge", List.of(subnet), !properties.bridgeSubnet().isEmpty(), false, false, Map.of(), options,
                current == null ? clock.instant() : current.created(), bridgeName, properties.mtu());
    }

    private Network byName(String name) {
        return networks.values().stream().filter(network -> network.definition.name().equals(name)).findFirst()
                .orElse(null);
    }

    private static String newId() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
