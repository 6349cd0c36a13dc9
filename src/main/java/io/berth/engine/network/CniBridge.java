package io.berth.engine.network;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The standard CNI {@code bridge} plugin with {@code static} address management, driven the way a CNI runtime drives
 * it: the network's configuration on stdin, the container in {@code CNI_*} variables. It makes the host bridge (with
 * the gateway address) on first use, a veth pair with one end on the bridge and the other as {@code eth0} in the
 * container's namespace, the container's address and default route, and hairpin mode (a container reaches its own
 * published ports). The Engine gives the address itself ({@link AddressAllocator}) and owns the firewall, so the
 * plugin's own masquerading stays off: it would add iptables rules for every container.
 */
final class CniBridge {

    private static final String CNI_VERSION = "1.0.0";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Path pluginDir;
    private final JsonMapper json;

    CniBridge(Path pluginDir, JsonMapper json) {
        this.pluginDir = pluginDir;
        this.json = json;
    }

    /** Makes the container's interface; returns the name of the veth pair's host end. */
    String add(NetworkDefinition network, String containerId, Path namespace, String interfaceName, Cidr address,
            String macAddress) throws IOException {
        JsonNode result = run("ADD", config(network, address, macAddress), containerId, namespace, interfaceName);
        for (JsonNode iface : result.path("interfaces")) {
            String name = iface.path("name").asString("");
            if (!iface.hasNonNull("sandbox") && !name.isEmpty() && !name.equals(network.bridge())) {
                return name;
            }
        }
        throw new IOException("the CNI bridge plugin's result names no host interface: " + result);
    }

    /** Removes the container's interface (and with it the host end); an interface or namespace already gone is fine. */
    void delete(NetworkDefinition network, String containerId, Path namespace, String interfaceName, Cidr address)
            throws IOException {
        run("DEL", config(network, address, null), containerId, namespace, interfaceName);
    }

    private byte[] config(NetworkDefinition network, Cidr address, String macAddress) {
        Subnet subnet = network.subnet();
        Map<String, Object> staticAddress = new LinkedHashMap<>();
        staticAddress.put("address", address.toString());
        staticAddress.put("gateway", subnet.gateway().toString());
        Map<String, Object> ipam = new LinkedHashMap<>();
        ipam.put("type", "static");
        ipam.put("addresses", List.of(staticAddress));
        // An internal network has no way out: no default route.
        ipam.put("routes", network.internal() ? List.of()
                : List.of(Map.of("dst", "0.0.0.0/0", "gw", subnet.gateway().toString())));
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("cniVersion", CNI_VERSION);
        config.put("name", "berth-" + network.shortId());
        config.put("type", "bridge");
        config.put("bridge", network.bridge());
        config.put("isGateway", true);
        config.put("isDefaultGateway", false);
        config.put("ipMasq", false);
        config.put("hairpinMode", true);
        config.put("mtu", network.mtu());
        config.put("ipam", ipam);
        if (macAddress != null && !macAddress.isEmpty()) {
            config.put("runtimeConfig", Map.of("mac", macAddress));
        }
        return json.writeValueAsBytes(config);
    }

    private JsonNode run(String command, byte[] config, String containerId, Path namespace, String interfaceName)
            throws IOException {
        Map<String, String> environment = Map.of(
                "CNI_COMMAND", command,
                "CNI_CONTAINERID", containerId,
                "CNI_NETNS", namespace.toString(),
                "CNI_IFNAME", interfaceName,
                "CNI_PATH", pluginDir.toString(),
                "PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        Subprocess.Result result = Subprocess.run(List.of(pluginDir.resolve("bridge").toString()), environment, config,
                TIMEOUT);
        if (result.exitCode() != 0) {
            throw new IOException("CNI bridge " + command + " failed: " + error(result));
        }
        if (result.stdout().length == 0) {
            return json.createObjectNode();
        }
        try {
            return json.readTree(result.stdout());
        } catch (JacksonException e) {
            throw new IOException("CNI bridge " + command + " printed no JSON: " + result.stdoutText());
        }
    }

    /** The plugin's error ({@code {"code":..,"msg":..,"details":..}} on stdout), else whatever it printed. */
    private String error(Subprocess.Result result) {
        try {
            JsonNode error = json.readTree(result.stdout());
            String message = error.path("msg").asString("");
            String details = error.path("details").asString("");
            if (!message.isEmpty()) {
                return details.isEmpty() ? message : message + ": " + details;
            }
        } catch (JacksonException e) {
            // not the plugin's error format
        }
        return (result.stdoutText() + " " + result.stderr()).strip() + " (exit code " + result.exitCode() + ")";
    }
}
