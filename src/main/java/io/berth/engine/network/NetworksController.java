package io.berth.engine.network;

import static io.berth.common.error.ErrorKind.INVALID;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import io.berth.common.error.BerthException;
import io.berth.engine.OnEngine;

/**
 * The Docker API's {@code /networks}: list, inspect, create, remove, prune, connect and disconnect. The service's
 * refusals ({@link BerthException}) are answered by the Engine's exception handler as dockerd words them.
 */
@RestController
@OnEngine
class NetworksController {

    private final NetworkService networks;
    private final NetworkAttachments attachments;
    private final JsonMapper json;
    private final Clock clock;

    NetworksController(NetworkService networks, NetworkAttachments attachments, JsonMapper json, Clock clock) {
        this.networks = networks;
        this.attachments = attachments;
        this.json = json;
        this.clock = clock;
    }

    @GetMapping("/networks")
    List<NetworkResource> list(@RequestParam(required = false) String filters) {
        Predicate<NetworkDefinition> inUse = network -> !networks.members(network).isEmpty();
        Predicate<NetworkDefinition> selected = NetworkFilters.list(json, filters, inUse);
        List<NetworkResource> list = new ArrayList<>();
        for (NetworkDefinition network : networks.networks()) {
            if (selected.test(network)) {
                list.add(NetworkResource.of(network, Map.of()));
            }
        }
        return list;
    }

    @GetMapping("/networks/{id}")
    NetworkResource inspect(@PathVariable String id) {
        NetworkDefinition network = networks.network(id);
        return NetworkResource.of(network, networks.members(network));
    }

    @PostMapping("/networks/create")
    ResponseEntity<NetworkRequests.Created> create(@RequestBody(required = false) byte[] body) {
        NetworkRequests.Create request = read(body, NetworkRequests.Create.class);
        NetworkRequests.Ipam ipam = request.ipam();
        List<NetworkCreate.SubnetRequest> subnets = new ArrayList<>();
        if (ipam != null && ipam.config() != null) {
            for (NetworkRequests.IpamConfig config : ipam.config()) {
                subnets.add(new NetworkCreate.SubnetRequest(config.subnet(), config.gateway(), config.ipRange(),
                        config.auxiliaryAddresses()));
            }
        }
        NetworkDefinition network = networks.create(new NetworkCreate(request.name(), request.driver(),
                ipam == null ? null : ipam.driver(), subnets, Boolean.TRUE.equals(request.internal()),
                Boolean.TRUE.equals(request.attachable()),
                Boolean.TRUE.equals(request.enableIpv6()), strings(request.options()), strings(request.labels())));
        return ResponseEntity.status(HttpStatus.CREATED).body(new NetworkRequests.Created(network.id(), ""));
    }

    @DeleteMapping("/networks/{id}")
    ResponseEntity<Void> remove(@PathVariable String id) {
        networks.remove(id);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/networks/prune")
    NetworkRequests.Pruned prune(@RequestParam(required = false) String filters) {
        List<String> removed = networks.prune(NetworkFilters.prune(json, filters, clock));
        return new NetworkRequests.Pruned(removed.isEmpty() ? null : removed);
    }

    @PostMapping("/networks/{id}/connect")
    ResponseEntity<Void> connect(@PathVariable String id, @RequestBody(required = false) byte[] body) {
        NetworkRequests.Connect request = read(body, NetworkRequests.Connect.class);
        NetworkRequests.EndpointConfig endpoint = request.endpointConfig();
        List<String> aliases = endpoint == null ? List.of() : endpoint.aliases();
        NetworkRequests.EndpointIpam ipam = endpoint == null ? null : endpoint.ipamConfig();
        if (ipam != null && ipam.ipv6Address() != null && !ipam.ipv6Address().isEmpty()) {
            throw new BerthException(INVALID, "IPv6 addresses are not supported by this Engine's networks");
        }
        attachments.connect(id, request.container(), aliases, ipam == null ? null : ipam.ipv4Address(),
                endpoint == null ? null : endpoint.macAddress());
        return ResponseEntity.ok().build();
    }

    @PostMapping("/networks/{id}/disconnect")
    ResponseEntity<Void> disconnect(@PathVariable String id, @RequestBody(required = false) byte[] body) {
        NetworkRequests.Disconnect request = read(body, NetworkRequests.Disconnect.class);
        attachments.disconnect(id, request.container());
        return ResponseEntity.ok().build();
    }

    private <T> T read(byte[] body, Class<T> type) {
        if (body == null || body.length == 0) {
            throw new BerthException(INVALID, "request body is required");
        }
        try {
            return json.readValue(body, type);
        } catch (JacksonException e) {
            throw new BerthException(INVALID, "invalid JSON: " + e.getOriginalMessage());
        }
    }

    /** Go reads a JSON null in a map of strings as "". */
    private static Map<String, String> strings(Map<String, String> map) {
        Map<String, String> strings = new LinkedHashMap<>();
        if (map != null) {
            map.forEach((key, value) -> strings.put(key, value == null ? "" : value));
        }
        return strings;
    }
}
