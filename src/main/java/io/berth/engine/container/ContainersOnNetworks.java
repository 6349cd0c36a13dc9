package io.berth.engine.container;

import static io.berth.common.error.ErrorKind.DENIED;
import static io.berth.common.error.ErrorKind.NOT_FOUND;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.stereotype.Component;

import io.berth.common.error.BerthException;
import io.berth.engine.OnEngine;
import io.berth.engine.docker.EndpointSettings;
import io.berth.engine.docker.NetworkingConfig;
import io.berth.engine.network.Endpoint;
import io.berth.engine.network.EndpointRequest;
import io.berth.engine.network.NetworkContainers;
import io.berth.engine.network.NetworkDefinition;

/**
 * The containers as {@code docker network connect} and {@code disconnect} see them: a container's endpoints (its
 * {@code NetworkingConfig}) gain or lose a network, which it joins or leaves at once when it runs (the network side
 * does that) and at its next start otherwise.
 */
@Component
@OnEngine
class ContainersOnNetworks implements NetworkContainers {

    private final ContainerStore store;
    private final ContainerRuns runs;

    ContainersOnNetworks(ContainerStore store, ContainerRuns runs) {
        this.store = store;
        this.runs = runs;
    }

    @Override
    public Target find(String idOrName) {
        ContainerRecord container = store.resolve(idOrName);
        return new Target(container.id(), container.name().substring(1), container.config().hostname(),
                container.state().isRunning(), ContainerNetworking.mode(container.hostConfig()));
    }

    @Override
    public void connected(String containerId, NetworkDefinition network, EndpointRequest request, Endpoint endpoint) {
        synchronized (runs.lock(containerId)) {
            ContainerRecord container = store.byId(containerId).orElseThrow(() -> gone(containerId));
            Map<String, EndpointSettings> endpoints = new LinkedHashMap<>(
                    ContainerNetworking.endpointsConfig(container.networkingConfig()));
            if (endpoint == null && key(endpoints, network) != null) {
                throw new BerthException(DENIED, "endpoint with name " + container.name().substring(1)
                        + " already exists in network " + network.name());
            }
            String ip = request.ipv4Address();
            EndpointSettings.EndpointIpamConfig ipam = ip == null ? null
                    : new EndpointSettings.EndpointIpamConfig(ip, null, null);
            String existing = key(endpoints, network);
            endpoints.remove(existing);
            endpoints.put(network.name(), new EndpointSettings(ipam, null, request.aliases(),
                    request.macAddress() == null ? "" : request.macAddress(), null, network.id(), "", "", "", 0, "",
                    "", 0, null));
            store.update(containerId, c -> c.withNetworkingConfig(new NetworkingConfig(endpoints)));
        }
    }

    @Override
    public void disconnected(String containerId, NetworkDefinition network) {
        synchronized (runs.lock(containerId)) {
            ContainerRecord container = store.byId(containerId).orElseThrow(() -> gone(containerId));
            Map<String, EndpointSettings> endpoints = new LinkedHashMap<>(
                    ContainerNetworking.endpointsConfig(container.networkingConfig()));
            String key = key(endpoints, network);
            if (key == null) {
                throw new BerthException(DENIED, "container " + containerId + " is not connected to network "
                        + network.name());
            }
            endpoints.remove(key);
            store.update(containerId, c -> c.withNetworkingConfig(new NetworkingConfig(endpoints)));
        }
    }

    /** The key the container's endpoint on {@code network} is kept under (its name, id or id prefix), or null. */
    private static String key(Map<String, EndpointSettings> endpoints, NetworkDefinition network) {
        for (Map.Entry<String, EndpointSettings> entry : endpoints.entrySet()) {
            String key = entry.getKey();
            if (key.equals(network.name()) || network.id().equals(entry.getValue().networkId())
                    || (key.length() >= 12 && network.id().startsWith(key))
                    || (key.equals("default") && network.isDefaultBridge())) {
                return key;
            }
        }
        return null;
    }

    private static BerthException gone(String containerId) {
        return new BerthException(NOT_FOUND, "No such container: " + containerId);
    }
}
