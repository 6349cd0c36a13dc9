package io.berth.engine.network;

/**
 * What {@code POST /networks/{id}/connect} and {@code /disconnect} need from the container side, which implements it:
 * finding the container, and recording in its settings the networks it is on (its {@code NetworkingConfig} and, when
 * running, {@code NetworkSettings.Networks} and /etc/hosts). The network side does the rest ({@link NetworkService}).
 */
public interface NetworkContainers {

    /** A container as connecting needs it. {@code networkMode} is its {@code HostConfig.NetworkMode}. */
    record Target(String id, String name, String hostname, boolean running, String networkMode) {
    }

    /** The container named by id, name or unique id prefix; NOT_FOUND ({@code No such container: x}) otherwise. */
    Target find(String idOrName);

    /**
     * The container is now on {@code network}: for a running one, {@code endpoint} is what it got there; for one that
     * is not running, null, and the network joins it at its next start with {@code request}.
     */
    void connected(String containerId, NetworkDefinition network, EndpointRequest request, Endpoint endpoint);

    /** The container has left {@code network} (and, when running, its endpoint there is gone). */
    void disconnected(String containerId, NetworkDefinition network);
}
