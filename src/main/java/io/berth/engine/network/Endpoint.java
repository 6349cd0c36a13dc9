package io.berth.engine.network;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A container's place on one network: its interface address, gateway and MAC address, and the names it answers to on
 * the network's DNS.
 *
 * @param endpointId    dockerd's EndpointID (random, 64 hex digits)
 * @param interfaceName the interface inside the container ({@code eth0}, {@code eth1}, ...)
 * @param address       the container's address with the subnet's prefix length ({@code 172.18.0.2/16})
 * @param aliases       the network aliases the container was given ({@code --network-alias})
 * @param macAddress    derived from the address ({@code 02:42:} and its four bytes), as dockerd derives it: an address
 *                      given again comes back with the same MAC, so no neighbour keeps a stale entry
 * @param dnsNames      every name the network's DNS answers with this address: name, aliases, short id, hostname
 * @param hostInterface the host end of the veth pair, once it exists (null before)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Endpoint(String networkId, String networkName, String endpointId, String interfaceName, Cidr address,
        Ipv4 gateway, String macAddress, List<String> aliases, List<String> dnsNames, String hostInterface) {

    public Endpoint {
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        dnsNames = dnsNames == null ? List.of() : List.copyOf(dnsNames);
    }

    Endpoint withHostInterface(String name) {
        return new Endpoint(networkId, networkName, endpointId, interfaceName, address, gateway, macAddress, aliases,
                dnsNames, name);
    }

    /** dockerd's MAC address for an IPv4 address. */
    public static String macAddress(Ipv4 address) {
        int bits = address.bits();
        return String.format("02:42:%02x:%02x:%02x:%02x", bits >>> 24, (bits >>> 16) & 0xff, (bits >>> 8) & 0xff,
                bits & 0xff);
    }
}
