package io.berth.engine.network;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The bodies clients send to the {@code /networks} endpoints (moby's {@code network.CreateRequest},
 * {@code ConnectOptions}, {@code DisconnectOptions}, API 1.47), and what create answers. Fields dockerd would ignore
 * are ignored here too; flags are {@link Boolean}s, since clients leave them out or send null.
 */
final class NetworkRequests {

    private NetworkRequests() {
    }

    /** {@code POST /networks/create}. {@code CheckDuplicate} is read and needs nothing: names are always unique. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Create(@JsonProperty("Name") String name, @JsonProperty("CheckDuplicate") Boolean checkDuplicate,
            @JsonProperty("Driver") String driver, @JsonProperty("Scope") String scope,
            @JsonProperty("Internal") Boolean internal, @JsonProperty("Attachable") Boolean attachable,
            @JsonProperty("Ingress") Boolean ingress, @JsonProperty("ConfigOnly") Boolean configOnly,
            @JsonProperty("EnableIPv6") Boolean enableIpv6, @JsonProperty("IPAM") Ipam ipam,
            @JsonProperty("Options") Map<String, String> options, @JsonProperty("Labels") Map<String, String> labels) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Ipam(@JsonProperty("Driver") String driver, @JsonProperty("Config") List<IpamConfig> config,
            @JsonProperty("Options") Map<String, String> options) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record IpamConfig(@JsonProperty("Subnet") String subnet, @JsonProperty("IPRange") String ipRange,
            @JsonProperty("Gateway") String gateway,
            @JsonProperty("AuxiliaryAddresses") Map<String, String> auxiliaryAddresses) {
    }

    record Created(@JsonProperty("Id") String id, @JsonProperty("Warning") String warning) {
    }

    /** {@code POST /networks/{id}/connect}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Connect(@JsonProperty("Container") String container,
            @JsonProperty("EndpointConfig") EndpointConfig endpointConfig) {
    }

    /** A container's settings on one network ({@code EndpointSettings}, the parts a client sets). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record EndpointConfig(@JsonProperty("IPAMConfig") EndpointIpam ipamConfig,
            @JsonProperty("Aliases") List<String> aliases, @JsonProperty("Links") List<String> links,
            @JsonProperty("MacAddress") String macAddress) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record EndpointIpam(@JsonProperty("IPv4Address") String ipv4Address,
            @JsonProperty("IPv6Address") String ipv6Address) {
    }

    /** {@code POST /networks/{id}/disconnect}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Disconnect(@JsonProperty("Container") String container, @JsonProperty("Force") Boolean force) {
    }

    /** What {@code POST /networks/prune} answers: null when nothing went, as dockerd writes it. */
    record Pruned(@JsonProperty("NetworksDeleted") List<String> networksDeleted) {
    }
}
