package io.berth.engine.network;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host side of bridge networking, one step at a time: bringing a network up (forwarding, firewall, the bridge
 * itself through the first container's interface), a container's interface on a network, the DNAT rules of published
 * ports, the network's DNS server, and taking a removed network's bridge and rules away.
 *
 * <p>Nothing here serialises two containers' starts, but for the first container of a network in an Engine process
 * (the CNI plugin makes the bridge and its address then, and two at once would race) and the firewall, which is one
 * process per change and touched only by containers that publish ports.
 */
final class BridgeWiring {

    private static final Logger log = LoggerFactory.getLogger(BridgeWiring.class);

    private final CniBridge cni;
    private final Firewall firewall;
    private final AardvarkDns dns;
    private final Sysctls sysctls;
    private final Supplier<List<NetworkDefinition>> bridges;
    private volatile boolean firewallWritten;

    BridgeWiring(CniBridge cni, Firewall firewall, AardvarkDns dns, Sysctls sysctls,
            Supplier<List<NetworkDefinition>> bridges) {
        this.cni = cni;
        this.firewall = firewall;
        this.dns = dns;
        this.sysctls = sysctls;
        this.bridges = bridges;
    }

    /**
     * Gives the container its interface on the network, bringing the network up first if this is its first one;
     * returns the endpoint with the host end of its veth pair.
     */
    Endpoint attach(NetworkRegistry.Network network, String containerId, Path namespace, Endpoint endpoint)
            throws IOException {
        NetworkDefinition definition = network.definition();
        if (network.up) {
            return endpoint.withHostInterface(cni.add(definition, containerId, namespace, endpoint.interfaceName(),
                    endpoint.address(), endpoint.macAddress()));
        }
        synchronized (network) {
            if (!network.up) {
                if (!definition.internal()) {
                    sysctls.enableForwarding();
                }
                writeNetworkRules();
            }
            String hostInterface = cni.add(definition, containerId, namespace, endpoint.interfaceName(),
                    endpoint.address(), endpoint.macAddress());
            if (!network.up) {
                sysctls.enableLocalnetRouting(definition.bridge());
                network.up = true;
            }
            return endpoint.withHostInterface(hostInterface);
        }
    }

    /** Takes the container's interface out of a live namespace (a running container leaving a network). */
    void detach(NetworkDefinition network, String containerId, Path namespace, Endpoint endpoint) throws IOException {
        cni.delete(network, containerId, namespace, endpoint.interfaceName(), endpoint.address());
    }

    /**
     * Cuts a stopped container's interface off its network: its host end goes down (the bridge stops forwarding to
     * it and forgets its MAC address at once), and the veth pair goes with the namespace once that is unpinned, so
     * its address may be given again right away. One ioctl instead of a plugin run; when the host end is not known,
     * the plugin takes the interface out as for {@link #detach}.
     */
    void unplug(NetworkDefinition network, String containerId, Path namespace, Endpoint endpoint) throws IOException {
        if (endpoint.hostInterface() == null) {
            detach(network, containerId, namespace, endpoint);
            return;
        }
        try {
            KernelCalls.setUp(endpoint.hostInterface(), false);
        } catch (IOException e) {
            if (!e.getMessage().contains("(ENODEV)")) {
                throw e;
            }
            // gone already: its namespace ended
        }
    }

    /** Rewrites the DNAT rules to the node's published ports, read when the firewall is written. */
    void publish(Supplier<? extends Collection<PublishedPort>> ports) throws IOException {
        firewall.ports(ports);
    }

    /**
     * Gives the network's DNS server its entries (all its containers); waits until it answers for
     * {@code awaitName} when not null. A node without aardvark-dns has no names on user networks.
     */
    void names(NetworkDefinition network, Supplier<? extends Collection<AardvarkDns.Entry>> entries,
            String awaitName) throws IOException {
        if (dns != null && network.dnsEnabled()) {
            dns.update(network, entries, awaitName);
        }
    }

    /** Whether user networks get a DNS server (aardvark-dns was found). */
    boolean dnsAvailable() {
        return dns != null;
    }

    /** Whether the network's DNS server runs (for a restarted Engine, which starts it when not). */
    boolean namesServed(NetworkDefinition network) {
        return dns == null || !network.dnsEnabled() || dns.pid(network) > 0;
    }

    /**
     * A new network's rules are written when its first container comes up; a removed one's go at once (also when an
     * earlier run of the Engine wrote them).
     */
    void removed(NetworkDefinition network) {
        try {
            if (firewall != null && (firewallWritten || firewall.present())) {
                writeNetworkRules();
            }
            if (KernelCalls.deleteBridge(network.bridge())) {
                log.debug("deleted bridge {} of network {}", network.bridge(), network.name());
            }
            if (dns != null) {
                dns.forget(network);
            }
        } catch (IOException e) {
            log.warn("network {} is removed, but its host side may linger: {}", network.name(), e.getMessage());
        }
    }

    private void writeNetworkRules() throws IOException {
        firewall.networks(bridges);
        firewallWritten = true;
    }

    /** The DNS entries of a network's containers. */
    static List<AardvarkDns.Entry> entries(NetworkDefinition network, Collection<ContainerNetwork> containers) {
        List<AardvarkDns.Entry> entries = new ArrayList<>();
        for (ContainerNetwork container : containers) {
            Endpoint endpoint = container.endpoint(network.id());
            if (endpoint != null) {
                entries.add(new AardvarkDns.Entry(container.containerId(), endpoint.address().address(),
                        endpoint.dnsNames(), container.dnsServers()));
            }
        }
        return entries;
    }
}
