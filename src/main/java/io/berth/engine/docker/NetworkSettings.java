package io.berth.engine.docker;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Inspect's NetworkSettings (swagger {@code NetworkSettings}): the sandbox, the published ports and the endpoints by
 * network, with the deprecated top-level copies of the default network's addresses that dockerd still sends.
 */
@DockerJson
public record NetworkSettings(
        String bridge,
        @JsonProperty("SandboxID") String sandboxId,
        String sandboxKey,
        Map<String, List<PortBinding>> ports,
        boolean hairpinMode,
        @JsonProperty("LinkLocalIPv6Address") String linkLocalIpv6Address,
        @JsonProperty("LinkLocalIPv6PrefixLen") int linkLocalIpv6PrefixLen,
        @JsonProperty("SecondaryIPAddresses") List<Address> secondaryIpAddresses,
        @JsonProperty("SecondaryIPv6Addresses") List<Address> secondaryIpv6Addresses,
        @JsonProperty("EndpointID") String endpointId,
        String gateway,
        @JsonProperty("GlobalIPv6Address") String globalIpv6Address,
        @JsonProperty("GlobalIPv6PrefixLen") int globalIpv6PrefixLen,
        @JsonProperty("IPAddress") String ipAddress,
        @JsonProperty("IPPrefixLen") int ipPrefixLen,
        @JsonProperty("IPv6Gateway") String ipv6Gateway,
        String macAddress,
        Map<String, EndpointSettings> networks) {

    /** An address with its prefix length. */
    @DockerJson
    public record Address(String addr, int prefixLen) {
    }
}
