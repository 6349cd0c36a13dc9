package io.berth.engine.network;

import static io.berth.common.error.ErrorKind.INVALID;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import io.berth.common.error.BerthException;

/** What a container gets on a network, decided before anything is done on the host. */
final class Endpoints {

    /**
     * A name the network's DNS may answer to. Names end up in aardvark-dns' configuration, one line per container
     * with spaces and commas between fields: nothing else may get in.
     */
    private static final Pattern DNS_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,254}");
    /** Six bytes in hex, the first with its multicast bit clear. */
    private static final Pattern UNICAST_MAC = Pattern.compile(
            "[0-9a-fA-F][02468aceACE](:[0-9a-fA-F]{2}){5}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private Endpoints() {
    }

    /**
     * The endpoint a container gets on a network: its address (given out now, the last step, so that a refusal gives
     * nothing out), MAC address and DNS names (name, aliases, short id, hostname, as dockerd's DNSNames).
     */
    static Endpoint plan(NetworkRegistry.Network network, String containerId, String containerName, String hostname,
            EndpointRequest request, String interfaceName) {
        NetworkDefinition definition = network.definition();
        if (!definition.dnsEnabled() && !request.aliases().isEmpty()) {
            throw new BerthException(INVALID, "network-scoped alias is supported only for containers in user "
                    + "defined networks");
        }
        Set<String> dnsNames = new LinkedHashSet<>();
        if (definition.dnsEnabled()) {
            if (containerName != null && !containerName.isEmpty()) {
                dnsNames.add(containerName);
            }
            dnsNames.addAll(request.aliases());
            dnsNames.add(containerId.substring(0, Math.min(12, containerId.length())));
            if (hostname != null && !hostname.isEmpty()) {
                dnsNames.add(hostname);
            }
            for (String name : dnsNames) {
                if (!DNS_NAME.matcher(name).matches()) {
                    throw new BerthException(INVALID, "invalid network alias or name " + name + ": letters, digits, "
                            + "'_', '.' and '-' only");
                }
            }
        }
        Ipv4 wanted = null;
        if (request.ipv4Address() != null) {
            if (definition.isDefaultBridge()) {
                throw new BerthException(INVALID, "user specified IP address is supported on user defined networks "
                        + "only");
            }
            if (!definition.subnetsConfigured()) {
                throw new BerthException(INVALID, "user specified IP address is supported only when connecting to "
                        + "networks with user configured subnets");
            }
            wanted = Ipv4.parse(request.ipv4Address());
        }
        String mac = request.macAddress();
        if (mac != null && !UNICAST_MAC.matcher(mac).matches()) {
            throw new BerthException(INVALID, "invalid MAC address " + mac);
        }
        Ipv4 address = wanted == null ? network.addresses().allocate() : network.addresses().allocate(wanted);
        Subnet subnet = definition.subnet();
        return new Endpoint(definition.id(), definition.name(), newId(), interfaceName,
                subnet.block().withAddress(address), subnet.gateway(),
                mac == null ? Endpoint.macAddress(address) : mac.toLowerCase(java.util.Locale.ROOT),
                request.aliases(), List.copyOf(dnsNames), null);
    }

    /** Published ports follow the container's first network: when it leaves that one, they move to the next. */
    static ContainerNetwork retarget(ContainerNetwork container, Endpoint gone) {
        if (container.ports().isEmpty()
                || !container.ports().get(0).containerAddress().equals(gone.address().address())) {
            return container;
        }
        List<PublishedPort> moved = new ArrayList<>();
        if (!container.endpoints().isEmpty()) {
            Ipv4 target = container.endpoints().get(0).address().address();
            for (PublishedPort port : container.ports()) {
                moved.add(new PublishedPort(port.protocol(), port.hostIp(), port.hostPort(), target,
                        port.containerPort()));
            }
        }
        return new ContainerNetwork(container.containerId(), container.containerName(), container.namespace(),
                container.endpoints(), moved, container.dnsServers());
    }

    /** The container's own name servers ({@code --dns}), which the network's DNS forwards to: addresses only. */
    static List<String> dnsServers(List<String> servers) {
        for (String server : servers) {
            if (Ipv4.parseOrNull(server) == null && !ResolvConf.isIpv6(server)) {
                throw new BerthException(INVALID, "invalid IP address for DNS server: " + server);
            }
        }
        return servers;
    }

    private static String newId() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
