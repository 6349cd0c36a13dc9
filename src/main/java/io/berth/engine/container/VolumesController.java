package io.berth.engine.container;

import static io.berth.common.error.ErrorKind.CONFLICT;
import static io.berth.common.error.ErrorKind.INVALID;
import static io.berth.common.error.ErrorKind.NOT_FOUND;

import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import io.berth.common.error.BerthException;
import io.berth.engine.OnEngine;
import io.berth.engine.events.EngineEvents;

/** Named volumes of the {@code local} driver: create, list, inspect, remove, prune. */
@RestController
@OnEngine
class VolumesController {

    private final VolumeStore volumes;
    private final ContainerService containers;
    private final EngineEvents events;

    VolumesController(VolumeStore volumes, ContainerService containers, EngineEvents events) {
        this.volumes = volumes;
        this.containers = containers;
        this.events = events;
    }

    @PostMapping("/volumes/create")
    ResponseEntity<Map<String, Object>> create(@RequestBody(required = false) byte[] body) {
        JsonNode request = ContainersController.json(body);
        String driver = DockerConfigs.text(request, "Driver");
        if (driver != null && !driver.equals("local")) {
            throw new BerthException(NOT_FOUND, "error looking up volume plugin " + driver + ": plugin \"" + driver
                    + "\" not found");
        }
        String name = DockerConfigs.text(request, "Name");
        boolean anonymous = name == null;
        if (anonymous) {
            byte[] bytes = new byte[32];
            new java.security.SecureRandom().nextBytes(bytes);
            name = java.util.HexFormat.of().formatHex(bytes);
        }
        VolumeStore.Created created = volumes.create(name, strings(request, "Labels"),
                strings(request, "DriverOpts"), anonymous);
        if (created.isNew()) {
            events.publish("volume", "create", name, Map.of("driver", "local"));
        }
        return ResponseEntity.status(HttpStatus.CREATED).contentType(MediaType.APPLICATION_JSON)
                .body(view(created.volume()));
    }

    @GetMapping("/volumes")
    Map<String, Object> list(@RequestParam(required = false) String filters) {
        Filter filter = Filter.parse(filters);
        List<Map<String, Object>> list = new ArrayList<>();
        for (VolumeRecord volume : volumes.all()) {
            if (filter.matches(volume, containers.volumeUser(volume.name()) == null)) {
                list.add(view(volume));
            }
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("Volumes", list);
        answer.put("Warnings", null);
        return answer;
    }

    @GetMapping("/volumes/{name}")
    Map<String, Object> inspect(@PathVariable String name) {
        return view(volumes.resolve(name));
    }

    @DeleteMapping("/volumes/{name}")
    ResponseEntity<Void> remove(@PathVariable String name, @RequestParam(required = false) Boolean force) {
        if (volumes.get(name).isEmpty()) {
            if (Boolean.TRUE.equals(force)) {
                return ResponseEntity.noContent().build(); // dockerd: forcing the removal of nothing is no error
            }
            throw new BerthException(NOT_FOUND, "get " + name + ": no such volume");
        }
        String user = containers.volumeUser(name);
        if (user != null) {
            throw new BerthException(CONFLICT, "remove " + name + ": volume is in use - [" + user + "]");
        }
        volumes.remove(name);
        events.publish("volume", "destroy", name, Map.of("driver", "local"));
        return ResponseEntity.noContent().build();
    }

    /** Unused volumes go: only anonymous ones unless the filter says {@code all=true} (API 1.42 and later). */
    @PostMapping("/volumes/prune")
    Map<String, Object> prune(@RequestParam(required = false) String filters) {
        Filter filter = Filter.parse(filters);
        List<String> deleted = new ArrayList<>();
        long reclaimed = 0;
        for (VolumeRecord volume : volumes.all()) {
            if ((!volume.anonymous() && !filter.all()) || !filter.matches(volume, true)
                    || containers.volumeUser(volume.name()) != null) {
                continue;
            }
            try {
                reclaimed += DiskUsage.of(volumes.data(volume.name()));
            } catch (java.io.IOException e) {
                // the size is for the report only
            }
            volumes.remove(volume.name());
            events.publish("volume", "destroy", volume.name(), Map.of("driver", "local"));
            deleted.add(volume.name());
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("VolumesDeleted", deleted.isEmpty() ? null : deleted);
        answer.put("SpaceReclaimed", reclaimed);
        return answer;
    }

    private Map<String, Object> view(VolumeRecord volume) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("CreatedAt", DateTimeFormatter.ISO_INSTANT.format(volume.createdAt()));
        view.put("Driver", "local");
        view.put("Labels", volume.labels());
        view.put("Mountpoint", volumes.data(volume.name()).toString());
        view.put("Name", volume.name());
        view.put("Options", volume.options());
        view.put("Scope", "local");
        return view;
    }

    private static Map<String, String> strings(JsonNode request, String field) {
        Map<String, String> values = new LinkedHashMap<>();
        JsonNode node = request == null ? null : request.get(field);
        if (node != null && node.isObject()) {
            node.properties().forEach(e -> values.put(e.getKey(), e.getValue().asString()));
        }
        return values;
    }

    /** Volume filters: {@code name} (substring), {@code label}, {@code dangling}, and prune's {@code all}. */
    record Filter(List<String> names, List<String> labels, Boolean dangling, boolean all, boolean otherDriver) {

        static Filter parse(String filters) {
            List<String> names = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            Boolean dangling = null;
            boolean all = false;
            boolean otherDriver = false;
            if (filters != null && !filters.isBlank()) {
                JsonNode json;
                try {
                    json = JsonMaps.JSON.readTree(filters);
                } catch (JacksonException e) {
                    throw new BerthException(INVALID, "invalid filters: " + e.getOriginalMessage());
                }
                for (Map.Entry<String, JsonNode> filter : json.properties()) {
                    List<String> values = new ArrayList<>();
                    if (filter.getValue().isArray()) {
                        filter.getValue().forEach(v -> values.add(v.asString("")));
                    } else if (filter.getValue().isObject()) {
                        filter.getValue().properties().forEach(e -> values.add(e.getKey()));
                    }
                    for (String value : values) {
                        switch (filter.getKey()) {
                            case "name" -> names.add(value);
                            case "label" -> labels.add(value);
                            case "dangling" -> dangling = value.equals("true") || value.equals("1");
                            case "all" -> all = value.equals("true") || value.equals("1");
                            case "driver" -> otherDriver |= !value.equals("local");
                            default -> throw new BerthException(INVALID, "invalid filter '" + filter.getKey() + "'");
                        }
                    }
                }
            }
            return new Filter(names, labels, dangling, all, otherDriver);
        }

        boolean matches(VolumeRecord volume, boolean unused) {
            if (otherDriver) {
                return false; // every volume here is the local driver's
            }
            if (!names.isEmpty() && names.stream().noneMatch(volume.name()::contains)) {
                return false;
            }
            if (dangling != null && dangling != unused) {
                return false;
            }
            for (String label : labels) {
                int equals = label.indexOf('=');
                String key = equals < 0 ? label : label.substring(0, equals);
                String value = volume.labels().get(key);
                if (value == null || (equals >= 0 && !value.equals(label.substring(equals + 1)))) {
                    return false;
                }
            }
            return true;
        }
    }
}
