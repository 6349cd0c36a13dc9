package io.berth.engine.network;

import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A network as {@code GET /networks} and {@code GET /networks/{id}} answer it (moby's {@code network.Inspect}, API
 * 1.47), field for field as dockerd fills it. The list leaves {@code Containers} empty, as dockerd does from 1.28 on.
 */
@JsonPropertyOrder({"Name", "Id", "Created", "Scope", "Driver", "EnableIPv6", "IPAM", "Internal", "Attachable",
        "Ingress", "ConfigFrom", "ConfigOnly", "Containers", "Options", "Labels"})
record NetworkResource(
        @JsonProperty("Name") String name,
        @JsonProperty("Id") String id,
        @JsonProperty("Created") String created,
        @JsonProperty("Scope") String scope,
        @JsonProperty("Driver") String driver,
        @JsonProperty("EnableIPv6") boolean enableIpv6,
        @JsonProperty("IPAM") Ipam ipam,
        @JsonProperty("Internal") boolean internal,
        @JsonProperty("Attachable") boolean attachable,
        @JsonProperty("Ingress") boolean ingress,
        @JsonProperty("ConfigFrom") ConfigFrom configFrom,
        @JsonProperty("ConfigOnly") boolean configOnly,
        @JsonProperty("Containers") Map<String, Member> containers,
        @JsonProperty("Options") Map<String, String> options,
        @JsonProperty("Labels") Map<String, String> labels) {

    /** {@code IPAM}: dockerd's default driver, no options (null, as dockerd writes them), the subnets. */
    @JsonPropertyOrder({"Driver", "Options", "Config"})
    record Ipam(@JsonProperty("Driver") String driver,
            @JsonProperty("Options") @JsonInclude(JsonInclude.Include.ALWAYS) Map<String, String> options,
            @JsonProperty("Config") List<IpamConfig> config) {
    }

    /** One subnet; empty fields are left out (Go's omitempty). */
    @JsonPropertyOrder({"Subnet", "IPRange", "Gateway"})
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record IpamConfig(@JsonProperty("Subnet") String subnet, @JsonProperty("IPRange") String ipRange,
            @JsonProperty("Gateway") String gateway) {
    }

    record ConfigFrom(@JsonProperty("Network") String network) {
    }

    /** A container on the network. */
    @JsonPropertyOrder({"Name", "EndpointID", "MacAddress", "IPv4Address", "IPv6Address"})
    record Member(@JsonProperty("Name") String name, @JsonProperty("EndpointID") String endpointId,
            @JsonProperty("MacAddress") String macAddress, @JsonProperty("IPv4Address") String ipv4Address,
            @JsonProperty("IPv6Address") String ipv6Address) {
    }

    static NetworkResource of(NetworkDefinition network, Map<String, ContainerNetwork> members) {
        List<IpamConfig> config = network.subnets().stream()
                .map(subnet -> new IpamConfig(subnet.block().toString(),
                        subnet.ipRange() == null ? null : subnet.ipRange().toString(), subnet.gateway().toString()))
                .toList();
        Map<String, Member> containers = new LinkedHashMap<>();
        members.forEach((id, container) -> {
            Endpoint endpoint = container.endpoint(network.id());
            containers.put(id, new Member(container.containerName(), endpoint.endpointId(), endpoint.macAddress(),
                    endpoint.address().toString(), ""));
        });
        return new NetworkResource(network.name(), network.id(), DateTimeFormatter.ISO_INSTANT.format(network.created()),
                "local", network.driver(), false, new Ipam("default", null, config), network.internal(),
                network.attachable(), false, new ConfigFrom(""), false, containers, network.options(),
                network.labels());
    }
}
