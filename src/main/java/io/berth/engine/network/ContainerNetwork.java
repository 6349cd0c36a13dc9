package io.berth.engine.network;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What the Engine set up for one container: the network namespace its processes join, its endpoints (the first one
 * carries the default route and the published ports) and its published ports. Kept in
 * {@code <data-dir>/engine/networks/containers/<id>.json} while it exists, so that a restarted Engine knows every
 * address and port it gave out.
 *
 * @param namespace  the pinned network namespace ({@code <namespace-dir>/<id>}); the runtime joins it by path
 * @param dnsServers the container's own name servers ({@code --dns}), which its network's DNS forwards to
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ContainerNetwork(String containerId, String containerName, Path namespace, List<Endpoint> endpoints,
        List<PublishedPort> ports, List<String> dnsServers) {

    public ContainerNetwork {
        endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
        ports = ports == null ? List.of() : List.copyOf(ports);
        dnsServers = dnsServers == null ? List.of() : List.copyOf(dnsServers);
    }

    /** The endpoint on a network, or null. */
    public Endpoint endpoint(String networkId) {
        for (Endpoint endpoint : endpoints) {
            if (endpoint.networkId().equals(networkId)) {
                return endpoint;
            }
        }
        return null;
    }

    ContainerNetwork withEndpoint(Endpoint endpoint) {
        List<Endpoint> more = new ArrayList<>(endpoints);
        more.add(endpoint);
        return new ContainerNetwork(containerId, containerName, namespace, more, ports, dnsServers);
    }

    ContainerNetwork withoutEndpoint(String networkId) {
        List<Endpoint> fewer = new ArrayList<>(endpoints);
        fewer.removeIf(endpoint -> endpoint.networkId().equals(networkId));
        return new ContainerNetwork(containerId, containerName, namespace, fewer, ports, dnsServers);
    }
}
