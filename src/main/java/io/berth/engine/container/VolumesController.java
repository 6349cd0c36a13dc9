package io.berth.engine.container;

import static io.berth.common.error.ErrorKind.CONFLICT;
import static io.berth.common.error.ErrorKind.INVALID;
import static io.berth.common.error.ErrorKind.NOT_FOUND;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
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

import tools.jackson.databind.json.JsonMapper;

import io.berth.common.error.BerthException;
import io.berth.engine.OnEngine;
import io.berth.engine.api.ApiFilters;
import io.berth.engine.api.JsonBodies;
import io.berth.engine.docker.Volume;
import io.berth.engine.docker.VolumeCreateRequest;
import io.berth.engine.docker.VolumeListResponse;
import io.berth.engine.docker.VolumePruneResponse;

/** Named volumes of the {@code local} driver: create, list, inspect, remove, prune. */
@RestController
@OnEngine
class VolumesController {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final VolumeStore volumes;
    private final ContainerStore containers;
    private final ContainerEvents events;
    private final JsonMapper json;

    VolumesController(VolumeStore volumes, ContainerStore containers, ContainerEvents events, JsonMapper json) {
        this.volumes = volumes;
        this.containers = containers;
        this.events = events;
        this.json = json;
    }

    @PostMapping("/volumes/create")
    ResponseEntity<Volume> create(@RequestBody(required = false) byte[] body) {
        VolumeCreateRequest request = JsonBodies.read(json, body, VolumeCreateRequest.class);
        String driver = request == null ? "" : request.driver();
        if (!driver.isEmpty() && !driver.equals("local")) {
            throw new BerthException(NOT_FOUND, "error looking up volume plugin " + driver + ": plugin \"" + driver
                    + "\" not found");
        }
        String name = request == null ? "" : request.name();
        boolean anonymous = name.isEmpty();
        if (anonymous) {
            byte[] bytes = new byte[32];
            RANDOM.nextBytes(bytes);
            name = HexFormat.of().formatHex(bytes);
        }
        VolumeStore.Created created = volumes.create(name, request == null ? Map.of() : request.labels(),
                request == null ? Map.of() : request.driverOpts(), anonymous);
        if (created.isNew()) {
            events.volume("create", name);
        }
        return ResponseEntity.status(HttpStatus.CREATED).contentType(MediaType.APPLICATION_JSON)
                .body(view(created.volume()));
    }

    @GetMapping("/volumes")
    VolumeListResponse list(@RequestParam(required = false) String filters) {
        Filter filter = Filter.parse(json, filters);
        List<Volume> list = new ArrayList<>();
        List<ContainerRecord> all = containers.all();
        for (VolumeRecord volume : volumes.all()) {
            if (filter.matches(volume, ContainerVolumes.userOf(all, volume.name()) == null)) {
                list.add(view(volume));
            }
        }
        return new VolumeListResponse(list, null);
    }

    @GetMapping("/volumes/{name}")
    Volume inspect(@PathVariable String name) {
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
        String user = ContainerVolumes.userOf(containers.all(), name);
        if (user != null) {
            throw new BerthException(CONFLICT, "remove " + name + ": volume is in use - [" + user + "]");
        }
        volumes.remove(name);
        events.volume("destroy", name);
        return ResponseEntity.noContent().build();
    }

    /** Unused volumes go: only anonymous ones unless the filter says {@code all=true} (API 1.42 and later). */
    @PostMapping("/volumes/prune")
    VolumePruneResponse prune(@RequestParam(required = false) String filters) {
        Filter filter = Filter.parse(json, filters);
        List<String> deleted = new ArrayList<>();
        long reclaimed = 0;
        for (VolumeRecord volume : volumes.all()) {
            if ((!volume.anonymous() && !filter.all()) || !filter.matches(volume, true)
                    || ContainerVolumes.userOf(containers.all(), volume.name()) != null) {
                continue;
            }
            try {
                reclaimed += DiskUsage.of(volumes.data(volume.name()));
            } catch (IOException e) {
                // the size is for the report only
            }
            volumes.remove(volume.name());
            events.volume("destroy", volume.name());
            deleted.add(volume.name());
        }
        return new VolumePruneResponse(deleted.isEmpty() ? null : deleted, reclaimed);
    }

    private Volume view(VolumeRecord volume) {
        return new Volume(DateTimeFormatter.ISO_INSTANT.format(volume.createdAt()), "local", volume.labels(),
                volumes.data(volume.name()).toString(), volume.name(), volume.options(), "local");
    }

    /** Volume filters: {@code name} (substring), {@code label}, {@code dangling}, and prune's {@code all}. */
    record Filter(List<String> names, List<String> labels, Boolean dangling, boolean all, boolean otherDriver) {

        static Filter parse(JsonMapper json, String filters) {
            List<String> names = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            Boolean dangling = null;
            boolean all = false;
            boolean otherDriver = false;
            for (Map.Entry<String, List<String>> filter : ApiFilters.parse(json, filters).entrySet()) {
                for (String value : filter.getValue()) {
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
            return ApiFilters.labelsMatch(labels, volume.labels()::get);
        }
    }
}
