package io.berth.engine.docker;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A container's endpoint on one network (swagger {@code EndpointSettings}): what the create body or
 * {@code docker network connect} asks for (IPAM addresses, links, aliases, MAC address, driver options) and what inspect
 * shows it got (ids, gateway, addresses).
 */
@DockerJson
public record EndpointSettings(
        @JsonProperty("IPAMConfig") EndpointIpamConfig ipamConfig,
        List<String> links,
        List<String> aliases,
        @ZeroWhenNull String macAddress,
        Map<String, String> driverOpts,
        @ZeroWhenNull @JsonProperty("NetworkID") String networkId,
        @ZeroWhenNull @JsonProperty("EndpointID") String endpointId,
        @ZeroWhenNull String gateway,
        @ZeroWhenNull @JsonProperty("IPAddress") String ipAddress,
        @ZeroWhenNull @JsonProperty("IPPrefixLen") int ipPrefixLen,
        @ZeroWhenNull @JsonProperty("IPv6Gateway") String ipv6Gateway,
        @ZeroWhenNull @JsonProperty("GlobalIPv6Address") String globalIpv6Address,
        @ZeroWhenNull @JsonProperty("GlobalIPv6PrefixLen") int globalIpv6PrefixLen,
        @JsonProperty("DNSNames") List<String> dnsNames) {

    public EndpointSettings {
        links = Copies.list(links);
        aliases = Copies.list(aliases);
        driverOpts = Copies.map(driverOpts);
        dnsNames = Copies.list(dnsNames);
    }

    /** An endpoint with no address, as a container has on a network that gave it none. */
    public static EndpointSettings unconnected() {
        return new EndpointSettings(null, null, null, "", null, "", "", "", "", 0, "", "", 0, null);
    }

    /** An endpoint's static addresses: {@code --ip}, {@code --ip6}, {@code --link-local-ip}. */
    @DockerJson
    public record EndpointIpamConfig(@OmitEmpty @JsonProperty("IPv4Address") String ipv4Address,
            @OmitEmpty @JsonProperty("IPv6Address") String ipv6Address,
            @OmitEmpty @JsonProperty("LinkLocalIPs") List<String> linkLocalIps) {

        public EndpointIpamConfig {
            linkLocalIps = Copies.list(linkLocalIps);
        }
    }
}
