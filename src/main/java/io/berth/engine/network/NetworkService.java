package io.berth.engine.network;

import static io.berth.common.error.ErrorKind.CONFLICT;
import static io.berth.common.error.ErrorKind.DENIED;
import static io.berth.common.error.ErrorKind.FAILED;
import static io.berth.common.error.ErrorKind.INVALID;
import static io.berth.common.error.ErrorKind.UNAVAILABLE;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.berth.common.error.BerthException;

/**
 * The Engine's networks and what containers have on them: the definitions ({@code docker network ...}), and for
 * each container its network namespace, its endpoints (an address, a veth on the network's bridge, a name on the
 * network's DNS) and its published ports.
 *
 * <p>The container side calls {@link #setup} before a container's first process starts (the runtime then joins
 * {@link ContainerNetwork#namespace()}), {@link #teardown} once it has stopped, {@link #connect} and
 * {@link #disconnect} for a running container, and {@link #reconcile} after an Engine restart with the containers
 * still running. What each call did is kept in the {@link NetworkStore} before any of it is done on the host, so a
 * restarted Engine knows every address, port and namespace it gave out, and gives none out twice.
 */
public class NetworkService {

    private static final Logger log = LoggerFactory.getLogger(NetworkService.class);
    private static final int LOCK_STRIPES = 64;

    private final NetworkRegistry registry;
    private final NetworkStore store;
    private final NetworkNamespaces namespaces;
    private final BridgeWiring wiring;
    private final PortReservations reservations;
    private final String unavailable;
    private final List<NetworkEventListener> listeners;
    private final Map<String, ContainerNetwork> containers = new ConcurrentHashMap<>();
    private final Map<String, List<PortReservations.Reservation>> held = new ConcurrentHashMap<>();
    private final Object[] locks = new Object[LOCK_STRIPES];

    NetworkService(NetworkRegistry registry, NetworkStore store, NetworkNamespaces namespaces, BridgeWiring wiring,
            PortReservations reservations, String unavailable, List<NetworkEventListener> listeners) {
        this.registry = registry;
        this.store = store;
        this.namespaces = namespaces;
        this.wiring = wiring;
        this.reservations = reservations;
        this.unavailable = unavailable;
        this.listeners = List.copyOf(listeners);
        for (int i = 0; i < LOCK_STRIPES; i++) {
            locks[i] = new Object();
        }
        recover();
    }

    // ---- networks

    public List<NetworkDefinition> networks() {
        return registry.all().stream().map(NetworkRegistry.Network::definition).toList();
    }

    /** The network named (id, name or unique id prefix), or NOT_FOUND in dockerd's words. */
    public NetworkDefinition network(String idOrName) {
        return registry.find(idOrName).definition();
    }

    /** The containers with an endpoint on the network, by container id. */
    public Map<String, ContainerNetwork> members(NetworkDefinition network) {
        Map<String, ContainerNetwork> members = new java.util.LinkedHashMap<>();
        for (ContainerNetwork container : containers.values()) {
            if (container.endpoint(network.id()) != null) {
                members.put(container.containerId(), container);
            }
        }
        return members;
    }

    public NetworkDefinition create(NetworkCreate request) {
        NetworkDefinition network = registry.create(request);
        publish("create", network, null);
        return network;
    }

    public NetworkDefinition remove(String idOrName) {
        NetworkDefinition network = registry.remove(idOrName);
        wiring.removed(network);
        publish("destroy", network, null);
        return network;
    }

    /** Removes every user network no container is on and {@code selected} accepts; returns their names. */
    public List<String> prune(Predicate<NetworkDefinition> selected) {
        List<String> removed = new ArrayList<>();
        for (NetworkRegistry.Network network : registry.all()) {
            NetworkDefinition definition = network.definition();
            if (!definition.isBuiltin() && network.containers.isEmpty() && selected.test(definition)) {
                try {
                    remove(definition.id());
                    removed.add(definition.name());
                } catch (BerthException e) {
                    // a container joined it meanwhile: it stays
                }
            }
        }
        return removed;
    }

    /** The address {@code --add-host name:host-gateway} stands for: the default bridge's gateway. */
    public Ipv4 hostGateway() {
        NetworkDefinition bridge = network(NetworkDefinition.DEFAULT_BRIDGE);
        return bridge.subnet().gateway();
    }

    /**
     * Whether containers on the network resolve names through its own DNS server (a user network, with aardvark-dns
     * on this node); their resolv.conf then names that server.
     */
    public boolean resolvesNames(NetworkDefinition network) {
        return network.dnsEnabled() && wiring.dnsAvailable();
    }

    /** Why bridge networking is not available on this node, or null when it is. */
    public String unavailableReason() {
        return unavailable;
    }

    // ---- containers

    /** What was set up for the container, or null. */
    public ContainerNetwork container(String containerId) {
        return containers.get(containerId);
    }

    /**
     * The container's pinned network namespace, for another container to join ({@code --network container:<id>}):
     * also a {@code none} container's, which has no record; null when there is none.
     */
    public Path namespace(String containerId) {
        checkId(containerId);
        ContainerNetwork container = containers.get(containerId);
        Path pin = container == null ? namespaces.path(containerId) : container.namespace();
        return namespaces.isPinned(pin) ? pin : null;
    }

    /**
     * The container's network namespace, made with {@code lo} up, and its endpoints and published ports. A request
     * without networks gives a namespace with {@code lo} only ({@code --network none}). Either all of it is done or,
     * on a failure, none of it is left behind.
     */
    public ContainerNetwork setup(ContainerNetworkRequest request) {
        String containerId = checkId(request.containerId());
        synchronized (lock(containerId)) {
            if (containers.containsKey(containerId)) {
                throw new BerthException(CONFLICT, "container " + containerId + " is already connected");
            }
            if (!request.networks().isEmpty() && unavailable != null) {
                throw new BerthException(UNAVAILABLE, "bridge networking is not available on this node: "
                        + unavailable);
            }
            Path namespace = createNamespace(containerId);
            Setup setup = new Setup(request, namespace);
            try {
                setup.run();
                return setup.result;
            } catch (RuntimeException e) {
                setup.undo();
                throw e;
            }
        }
    }

    /**
     * Takes down what {@link #setup} made: interfaces, addresses, names, ports and the namespace. Each step is
     * tried whatever the others did, so a half-gone container ends fully gone; repeating it is harmless.
     */
    public void teardown(String containerId) {
        checkId(containerId);
        synchronized (lock(containerId)) {
            ContainerNetwork container = containers.get(containerId);
            Path namespace = container == null ? namespaces.path(containerId) : container.namespace();
            if (container != null) {
                for (Endpoint endpoint : container.endpoints()) {
                    NetworkRegistry.Network network = registry.byId(endpoint.networkId());
                    if (network != null) {
                        quietly("take the interface of " + containerId + " off " + network.definition().name(),
                                () -> wiring.unplug(network.definition(), containerId, namespace, endpoint));
                    }
                }
                containers.remove(containerId);
                releasePorts(containerId, !container.ports().isEmpty());
                for (Endpoint endpoint : container.endpoints()) {
                    NetworkRegistry.Network network = registry.byId(endpoint.networkId());
                    if (network != null) {
                        network.addresses().release(endpoint.address().address());
                        registry.leave(network, containerId);
                        quietly("update the names of " + network.definition().name(), () -> names(network, null));
                        publish("disconnect", network.definition(), containerId);
                    }
                }
                quietly("forget the network of " + containerId, () -> store.deleteContainer(containerId));
            }
            quietly("remove the network namespace of " + containerId, () -> namespaces.remove(namespace));
        }
    }

    /** Connects a running container (one {@link #setup} was done for) to one more network. */
    public Endpoint connect(String containerId, String hostname, EndpointRequest request) {
        synchronized (lock(containerId)) {
            ContainerNetwork container = containers.get(containerId);
            if (container == null) {
                throw new BerthException(CONFLICT, "container " + containerId + " has no network namespace of its own "
                        + "to connect");
            }
            if (unavailable != null) {
                throw new BerthException(UNAVAILABLE, "bridge networking is not available on this node: "
                        + unavailable);
            }
            NetworkRegistry.Network network = registry.join(request.network(), containerId);
            if (container.endpoint(network.definition().id()) != null) {
                throw new BerthException(DENIED, "endpoint with name " + container.containerName()
                        + " already exists in network " + network.definition().name());
            }
            Endpoint endpoint;
            try {
                endpoint = Endpoints.plan(network, containerId, container.containerName(), hostname, request,
                        "eth" + nextInterface(container));
            } catch (RuntimeException e) {
                if (container.endpoint(network.definition().id()) == null) {
                    registry.leave(network, containerId);
                }
                throw e;
            }
            Endpoint attached;
            try {
                store.save(container.withEndpoint(endpoint));
                attached = wiring.attach(network, containerId, container.namespace(), endpoint);
                ContainerNetwork connected = container.withEndpoint(attached);
                store.save(connected);
                containers.put(containerId, connected);
                names(network, endpoint.dnsNames().isEmpty() ? null : endpoint.dnsNames().get(0));
            } catch (IOException | RuntimeException e) {
                quietly("undo the interface on " + network.definition().name(),
                        () -> wiring.detach(network.definition(), containerId, container.namespace(), endpoint));
                containers.put(containerId, container);
                store.save(container);
                network.addresses().release(endpoint.address().address());
                registry.leave(network, containerId);
                quietly("update the names of " + network.definition().name(), () -> names(network, null));
                throw failure("connect container " + containerId + " to " + network.definition().name(), e);
            }
            publish("connect", network.definition(), containerId);
            return attached;
        }
    }

    /** Disconnects a running container from one of its networks. */
    public void disconnect(String containerId, String networkIdOrName) {
        synchronized (lock(containerId)) {
            NetworkRegistry.Network network = registry.find(networkIdOrName);
            ContainerNetwork container = containers.get(containerId);
            Endpoint endpoint = container == null ? null : container.endpoint(network.definition().id());
            if (endpoint == null) {
                throw new BerthException(DENIED, "container " + containerId + " is not connected to network "
                        + network.definition().name());
            }
            quietly("take the interface of " + containerId + " off " + network.definition().name(),
                    () -> wiring.detach(network.definition(), containerId, container.namespace(), endpoint));
            ContainerNetwork rest = container.withoutEndpoint(network.definition().id());
            rest = Endpoints.retarget(rest, endpoint);
            store.save(rest);
            containers.put(containerId, rest);
            if (!rest.ports().equals(container.ports())) {
                if (rest.ports().isEmpty()) {
                    releasePorts(containerId, true);
                } else {
                    quietly("rewrite the published ports", () -> wiring.publish(this::publishedPorts));
                }
            }
            network.addresses().release(endpoint.address().address());
            registry.leave(network, containerId);
            quietly("update the names of " + network.definition().name(), () -> names(network, null));
            publish("disconnect", network.definition(), containerId);
        }
    }

    /**
     * After an Engine restart: tears down what is kept for containers that are no longer running (they stopped while
     * the Engine was away).
     */
    public void reconcile(Collection<String> runningContainerIds) {
        Set<String> running = Set.copyOf(runningContainerIds);
        for (String containerId : List.copyOf(containers.keySet())) {
            if (!running.contains(containerId)) {
                log.info("container {} stopped while the Engine was away: taking down its network", containerId);
                teardown(containerId);
            }
        }
    }

    /**
     * The Engine stops: the ports it holds go (as they would with its process); containers, their namespaces, names
     * and rules stay, for the next run to take back.
     */
    public void close() {
        for (List<PortReservations.Reservation> ports : held.values()) {
            ports.forEach(PortReservations.Reservation::close);
        }
        held.clear();
    }

    // ---- setup, step by step

    /** One container's setup, remembering what it did so that a failure can undo exactly that. */
    private final class Setup {

        private final ContainerNetworkRequest request;
        private final Path namespace;
        private final List<NetworkRegistry.Network> joined = new ArrayList<>();
        private final List<Endpoint> endpoints = new ArrayList<>();
        private final List<Endpoint> attached = new ArrayList<>();
        private final List<PortReservations.Reservation> ports = new ArrayList<>();
        private ContainerNetwork result;
        private boolean saved;

        Setup(ContainerNetworkRequest request, Path namespace) {
            this.request = request;
            this.namespace = namespace;
        }

        void run() {
            String containerId = request.containerId();
            List<String> dnsServers = Endpoints.dnsServers(request.dnsServers());
            for (EndpointRequest wanted : request.networks()) {
                NetworkRegistry.Network network = registry.join(wanted.network(), containerId);
                joined.add(network);
                if (!network.definition().hasBridge()) {
                    throw new BerthException(INVALID, "container cannot be connected to multiple networks with one of "
                            + "the networks in private (none) mode");
                }
                if (joined.stream().filter(other -> other == network).count() > 1) {
                    throw new BerthException(INVALID, "container cannot join network "
                            + network.definition().name() + " twice");
                }
                endpoints.add(Endpoints.plan(network, containerId, request.containerName(), request.hostname(), wanted,
                        "eth" + endpoints.size()));
            }
            List<PublishedPort> published = new ArrayList<>();
            if (!request.ports().isEmpty() && endpoints.isEmpty()) {
                throw new BerthException(INVALID, "conflicting options: port publishing and the container type "
                        + "network mode");
            }
            for (PortMapping mapping : request.ports()) {
                PortReservations.Reservation reservation = reserve(mapping);
                ports.add(reservation);
                published.add(new PublishedPort(mapping.protocol(), mapping.hostAddress(), reservation.port(),
                        endpoints.get(0).address().address(), mapping.containerPort()));
            }
            result = new ContainerNetwork(containerId, request.containerName(), namespace, endpoints, published,
                    dnsServers);
            if (endpoints.isEmpty()) {
                return; // --network none: a namespace with lo, nothing to keep
            }
            store.save(result);
            saved = true;
            containers.put(containerId, result);
            held.put(containerId, List.copyOf(ports));
            try {
                for (int i = 0; i < endpoints.size(); i++) {
                    attached.add(wiring.attach(joined.get(i), containerId, namespace, endpoints.get(i)));
                }
                result = new ContainerNetwork(containerId, request.containerName(), namespace, attached, published,
                        dnsServers);
                store.save(result);
                containers.put(containerId, result);
                if (!published.isEmpty()) {
                    wiring.publish(NetworkService.this::publishedPorts);
                }
                for (int i = 0; i < endpoints.size(); i++) {
                    List<String> dnsNames = endpoints.get(i).dnsNames();
                    names(joined.get(i), dnsNames.isEmpty() ? null : dnsNames.get(0));
                }
            } catch (IOException e) {
                throw failure("set up the network of container " + containerId, e);
            }
            for (NetworkRegistry.Network network : joined) {
                publish("connect", network.definition(), containerId);
            }
        }

        private PortReservations.Reservation reserve(PortMapping mapping) {
            try {
                return reservations.reserve(mapping.protocol(), mapping.hostAddress(), mapping.hostPort());
            } catch (BerthException e) {
                if (e.kind() != CONFLICT) {
                    throw e;
                }
                // dockerd's whole sentence, which the docker CLI prints as it is.
                throw new BerthException(CONFLICT, "driver failed programming external connectivity on endpoint "
                        + request.containerName() + " (" + endpoints.get(0).endpointId() + "): " + e.getMessage());
            }
        }

        void undo() {
            String containerId = request.containerId();
            for (Endpoint endpoint : attached) {
                NetworkRegistry.Network network = registry.byId(endpoint.networkId());
                quietly("undo the interface on " + network.definition().name(),
                        () -> wiring.unplug(network.definition(), containerId, namespace, endpoint));
            }
            containers.remove(containerId);
            held.remove(containerId);
            ports.forEach(PortReservations.Reservation::close);
            if (saved && !result.ports().isEmpty()) {
                quietly("rewrite the published ports", () -> wiring.publish(NetworkService.this::publishedPorts));
            }
            for (int i = 0; i < joined.size(); i++) {
                NetworkRegistry.Network network = joined.get(i);
                if (i < endpoints.size()) {
                    network.addresses().release(endpoints.get(i).address().address());
                }
                registry.leave(network, containerId);
                if (saved) {
                    quietly("update the names of " + network.definition().name(), () -> names(network, null));
                }
            }
            if (saved) {
                store.deleteContainer(containerId);
            }
            quietly("remove the network namespace of " + containerId, () -> namespaces.remove(namespace));
        }
    }

    private void names(NetworkRegistry.Network network, String awaitName) throws IOException {
        NetworkDefinition definition = network.definition();
        wiring.names(definition, () -> BridgeWiring.entries(definition, containers.values()), awaitName);
    }

    private List<PublishedPort> publishedPorts() {
        List<PublishedPort> ports = new ArrayList<>();
        containers.values().forEach(container -> ports.addAll(container.ports()));
        return ports;
    }

    private void releasePorts(String containerId, boolean rewriteRules) {
        List<PortReservations.Reservation> reservationsHeld = held.remove(containerId);
        if (rewriteRules) {
            quietly("rewrite the published ports", () -> wiring.publish(this::publishedPorts));
        }
        if (reservationsHeld != null) {
            reservationsHeld.forEach(PortReservations.Reservation::close);
        }
    }

    private Path createNamespace(String containerId) {
        try {
            return namespaces.create(containerId);
        } catch (IOException e) {
            throw new BerthException(FAILED, "cannot create the network namespace of container " + containerId + ": "
                    + e.getMessage(), e);
        }
    }

    private static int nextInterface(ContainerNetwork container) {
        int next = 0;
        for (Endpoint endpoint : container.endpoints()) {
            next = Math.max(next, Integer.parseInt(endpoint.interfaceName().substring(3)) + 1);
        }
        return next;
    }

    // ---- restart

    /**
     * Takes back what an earlier run gave out: addresses, held ports, DNS servers. A container whose namespace is
     * gone (the machine restarted) is forgotten; one whose namespace is still there keeps everything until
     * {@link #reconcile} says whether it still runs.
     */
    private void recover() {
        for (ContainerNetwork container : store.containers()) {
            if (!namespaces.isPinned(container.namespace())) {
                log.info("forgetting the network of container {}: its namespace is gone", container.containerId());
                store.deleteContainer(container.containerId());
                continue;
            }
            for (Endpoint endpoint : container.endpoints()) {
                NetworkRegistry.Network network = registry.byId(endpoint.networkId());
                if (network == null) {
                    log.error("container {} is on network {}, which no longer exists", container.containerId(),
                            endpoint.networkId());
                    continue;
                }
                if (!network.addresses().restore(endpoint.address().address())) {
                    log.error("container {} holds {} on {}, which another holds too", container.containerId(),
                            endpoint.address(), network.definition().name());
                }
                network.containers.add(container.containerId());
            }
            List<PortReservations.Reservation> ports = new ArrayList<>();
            for (PublishedPort port : container.ports()) {
                try {
                    ports.add(reservations.reserve(port.protocol(), port.hostIp(), port.hostPort()));
                } catch (BerthException e) {
                    log.warn("port {}/{} of container {} was taken while the Engine was away",
                            port.hostEndpoint(), port.protocol(), container.containerId());
                }
            }
            held.put(container.containerId(), ports);
            containers.put(container.containerId(), container);
        }
        for (NetworkRegistry.Network network : registry.all()) {
            if (!network.containers.isEmpty() && !wiring.namesServed(network.definition())) {
                quietly("restart the DNS server of " + network.definition().name(), () -> names(network, null));
            }
        }
    }

    // ---- small things

    private void publish(String action, NetworkDefinition network, String containerId) {
        NetworkEvent event = new NetworkEvent(action, network.id(), network.name(), network.driver(), containerId);
        for (NetworkEventListener listener : listeners) {
            try {
                listener.onNetworkEvent(event);
            } catch (RuntimeException e) {
                log.warn("a network event listener failed on {}", event, e);
            }
        }
    }

    /** Container ids name files (the namespace pin, the record): a path segment, nothing more. */
    private static String checkId(String containerId) {
        if (containerId == null || !containerId.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}")) {
            throw new BerthException(INVALID, "invalid container id: " + containerId);
        }
        return containerId;
    }

    private Object lock(String containerId) {
        return locks[Math.floorMod(containerId.hashCode(), LOCK_STRIPES)];
    }

    private static BerthException failure(String what, Exception e) {
        if (e instanceof BerthException berth) {
            return berth;
        }
        return new BerthException(FAILED, "cannot " + what + ": " + e.getMessage(), e);
    }

    private interface Step {
        void run() throws IOException;
    }

    private static void quietly(String what, Step step) {
        try {
            step.run();
        } catch (IOException | RuntimeException e) {
            log.warn("could not {}: {}", what, e.getMessage());
        }
    }
}
