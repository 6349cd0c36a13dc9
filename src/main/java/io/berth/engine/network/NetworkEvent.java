package io.berth.engine.network;

/**
 * Something that happened to a network, for {@code docker events} ({@code Type: network}): {@code create},
 * {@code connect}, {@code disconnect}, {@code destroy}. dockerd's attributes are {@code name} and {@code type} (the
 * driver), and {@code container} for connect and disconnect.
 *
 * @param containerId the container connected or disconnected; null for create and destroy
 */
public record NetworkEvent(String action, String networkId, String networkName, String driver, String containerId) {
}
