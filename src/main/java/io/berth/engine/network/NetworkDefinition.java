package io.berth.engine.network;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A network of this node, as kept in {@code <data-dir>/engine/networks/<id>.json}: the built-in {@code bridge}
 * (the default network), {@code host} and {@code none}, and the user's bridge networks.
 *
 * @param driver            {@code bridge}, {@code host} or {@code null} (what {@code none} is on dockerd)
 * @param subnets           the IPv4 subnets (one for bridge networks, none for host and none)
 * @param subnetsConfigured whether the user chose the subnet (only then may a container ask for its own address, as
 *                          on dockerd)
 * @param bridge            the host bridge device ({@code berth0}, {@code br-<id>}); null for host and none
 * @param mtu               the MTU of the bridge and the containers' interfaces
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NetworkDefinition(String id, String name, String driver, List<Subnet> subnets, boolean subnetsConfigured,
        boolean internal, boolean attachable, Map<String, String> labels, Map<String, String> options,
        Instant created, String bridge, int mtu) {

    public static final String DEFAULT_BRIDGE = "bridge";
    public static final String HOST = "host";
    public static final String NONE = "none";

    /** The names dockerd keeps for its own networks; a user network may not take them. */
    public static final Set<String> PREDEFINED = Set.of(DEFAULT_BRIDGE, HOST, NONE, "default");

    public NetworkDefinition {
        subnets = subnets == null ? List.of() : List.copyOf(subnets);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        options = options == null ? Map.of() : Map.copyOf(options);
    }

    @JsonIgnore
    public boolean isBuiltin() {
        return PREDEFINED.contains(name);
    }

    @JsonIgnore
    public boolean hasBridge() {
        return "bridge".equals(driver);
    }

    @JsonIgnore
    public boolean isDefaultBridge() {
        return DEFAULT_BRIDGE.equals(name);
    }

    /** Containers resolve each other by name on user networks only, as on dockerd. */
    @JsonIgnore
    public boolean dnsEnabled() {
        return hasBridge() && !isDefaultBridge();
    }

    @JsonIgnore
    public Subnet subnet() {
        return subnets.isEmpty() ? null : subnets.get(0);
    }

    @JsonIgnore
    public String shortId() {
        return id.substring(0, 12);
    }
}
