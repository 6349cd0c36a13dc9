package io.berth.engine.network;

import static io.berth.common.error.ErrorKind.INVALID;
import static io.berth.common.error.ErrorKind.UNAVAILABLE;

import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

import io.berth.common.error.BerthException;
import io.berth.engine.OnEngine;

/**
 * {@code docker network connect} and {@code disconnect}: checks a container may join or leave a network, as dockerd
 * checks it, has the {@link NetworkService} wire a running container, and has the container side
 * ({@link NetworkContainers}) record it.
 */
@Service
@OnEngine
public class NetworkAttachments {

    private final NetworkService networks;
    private final ObjectProvider<NetworkContainers> containers;

    public NetworkAttachments(NetworkService networks, ObjectProvider<NetworkContainers> containers) {
        this.networks = networks;
        this.containers = containers;
    }

    public void connect(String networkIdOrName, String container, List<String> aliases, String ipv4Address,
            String macAddress) {
        NetworkDefinition network = networks.network(networkIdOrName);
        NetworkContainers side = containerSide();
        NetworkContainers.Target target = side.find(container);
        checkMode(target, network);
        EndpointRequest request = new EndpointRequest(network.id(), aliases, ipv4Address, macAddress);
        Endpoint endpoint = target.running() ? networks.connect(target.id(), target.hostname(), request) : null;
        try {
            side.connected(target.id(), network, request, endpoint);
        } catch (RuntimeException e) {
            if (endpoint != null) {
                networks.disconnect(target.id(), network.id());
            }
            throw e;
        }
    }

    public void disconnect(String networkIdOrName, String container) {
        NetworkDefinition network = networks.network(networkIdOrName);
        NetworkContainers side = containerSide();
        NetworkContainers.Target target = side.find(container);
        if (network.name().equals(NetworkDefinition.HOST) || "host".equals(target.networkMode())) {
            throw new BerthException(INVALID, "container cannot be disconnected from host network or connected to "
                    + "host network");
        }
        if (target.running() && networks.container(target.id()) != null) {
            networks.disconnect(target.id(), network.id());
        }
        side.disconnected(target.id(), network);
    }

    /** dockerd's refusals, in its words. */
    private static void checkMode(NetworkContainers.Target target, NetworkDefinition network) {
        String mode = target.networkMode() == null ? "" : target.networkMode();
        if (network.name().equals(NetworkDefinition.HOST) || mode.equals("host")) {
            throw new BerthException(INVALID, "container cannot be disconnected from host network or connected to "
                    + "host network");
        }
        if (mode.startsWith("container:")) {
            throw new BerthException(INVALID, "container sharing network namespace with another container or host "
                    + "cannot be connected to any other network");
        }
        if (network.name().equals(NetworkDefinition.NONE) || mode.equals("none")) {
            throw new BerthException(INVALID, "container cannot be connected to multiple networks with one of the "
                    + "networks in private (none) mode");
        }
    }

    private NetworkContainers containerSide() {
        NetworkContainers side = containers.getIfAvailable();
        if (side == null) {
            throw new BerthException(UNAVAILABLE, "connecting containers to networks is not available on this Engine "
                    + "yet");
        }
        return side;
    }
}
