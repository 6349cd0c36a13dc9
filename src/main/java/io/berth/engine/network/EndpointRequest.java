package io.berth.engine.network;

import java.util.List;

/**
 * What a container asks of one network ({@code --network}, {@code --network-alias}, {@code --ip}; a create body's
 * {@code NetworkingConfig.EndpointsConfig} entry or a connect body's {@code EndpointConfig}).
 *
 * @param network     the network's name, id or id prefix
 * @param ipv4Address the address asked for, or null for one the Engine picks
 * @param macAddress  the MAC address asked for ({@code --mac-address}), or null for dockerd's, made from the address
 */
public record EndpointRequest(String network, List<String> aliases, String ipv4Address, String macAddress) {

    public EndpointRequest {
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        ipv4Address = ipv4Address == null || ipv4Address.isEmpty() ? null : ipv4Address;
        macAddress = macAddress == null || macAddress.isEmpty() ? null : macAddress;
    }

    public EndpointRequest(String network, List<String> aliases, String ipv4Address) {
        this(network, aliases, ipv4Address, null);
    }

    public static EndpointRequest of(String network) {
        return new EndpointRequest(network, List.of(), null, null);
    }
}
