package io.berth.engine.network;

import java.util.List;

/**
 * What a starting container asks of the Engine's networking.
 *
 * @param containerName the name without dockerd's leading slash; its DNS name on user networks
 * @param hostname      also a DNS name on user networks (dockerd's DNSNames)
 * @param networks      the networks to join, the first one giving the default route and the published ports; none
 *                      for {@code --network none} (a namespace with {@code lo} only)
 * @param ports         the ports to publish
 * @param dnsServers    {@code --dns}: the servers the network's DNS forwards to for this container
 */
public record ContainerNetworkRequest(String containerId, String containerName, String hostname,
        List<EndpointRequest> networks, List<PortMapping> ports, List<String> dnsServers) {

    public ContainerNetworkRequest {
        networks = networks == null ? List.of() : List.copyOf(networks);
        ports = ports == null ? List.of() : List.copyOf(ports);
        dnsServers = dnsServers == null ? List.of() : List.copyOf(dnsServers);
    }
}
