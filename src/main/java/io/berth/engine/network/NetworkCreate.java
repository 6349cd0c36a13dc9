package io.berth.engine.network;

import java.util.List;
import java.util.Map;

/**
 * A request for a new network ({@code docker network create}), as the service takes it.
 *
 * @param subnets    the IPAM configuration asked for: subnet, gateway, ip-range (each may be empty)
 * @param enableIpv6 IPv6 is refused: this Engine's networks are IPv4 only
 */
public record NetworkCreate(String name, String driver, String ipamDriver, List<SubnetRequest> subnets,
        boolean internal, boolean attachable, boolean enableIpv6, Map<String, String> options,
        Map<String, String> labels) {

    /** One IPAM.Config entry. */
    public record SubnetRequest(String subnet, String gateway, String ipRange, Map<String, String> auxiliaryAddresses) {
    }

    public NetworkCreate {
        subnets = subnets == null ? List.of() : List.copyOf(subnets);
        options = options == null ? Map.of() : Map.copyOf(options);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
}
