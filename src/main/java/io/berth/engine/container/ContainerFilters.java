package io.berth.engine.container;

import static io.berth.common.error.ErrorKind.INVALID;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import io.berth.common.error.BerthException;
import io.berth.engine.api.ApiFilters;

/**
 * The {@code filters} of {@code GET /containers/json}: {@code status}, {@code label} ({@code key} or
 * {@code key=value}), {@code name} (a regular expression searched in the name), {@code id} (a prefix),
 * {@code ancestor} (an image name or id) and {@code exited} (an exit code). Several values of one filter match if
 * any does; different filters must all match. Unknown filters are refused, as dockerd refuses them.
 *
 * @param ancestorIds the image ids the {@code ancestor} values name (resolved by the caller; an unknown image matches
 *                    only containers created under that very name)
 */
record ContainerFilters(List<String> statuses, List<String> labels, List<Pattern> names, List<String> ids,
        List<String> ancestors, List<String> ancestorIds, List<Integer> exitCodes) {

    static final ContainerFilters NONE = new ContainerFilters(List.of(), List.of(), List.of(), List.of(), List.of(),
            List.of(), List.of());

    private static final Set<String> STATUSES = Set.of("created", "restarting", "running", "removing", "paused",
            "exited", "dead");

    /** Parses both shapes clients send: {@code {"status":["running"]}} and {@code {"status":{"running":true}}}. */
    static ContainerFilters parse(String filters, Function<String, String> imageIdOf) {
        if (filters == null || filters.isBlank()) {
            return NONE;
        }
        JsonNode json;
        try {
            json = JsonMaps.JSON.readTree(filters);
        } catch (JacksonException e) {
            throw new BerthException(INVALID, "invalid filters: " + e.getOriginalMessage());
        }
        List<String> statuses = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<Pattern> names = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        List<String> ancestors = new ArrayList<>();
        List<String> ancestorIds = new ArrayList<>();
        List<Integer> exitCodes = new ArrayList<>();
        for (Map.Entry<String, JsonNode> filter : json.properties()) {
            for (String value : ApiFilters.values(filter.getValue())) {
                switch (filter.getKey()) {
                    case "status" -> {
                        if (!STATUSES.contains(value)) {
                            throw new BerthException(INVALID, "invalid filter 'status=" + value + "'");
                        }
                        statuses.add(value);
                    }
                    case "label" -> labels.add(value);
                    case "name" -> {
                        try {
                            names.add(Pattern.compile(value));
                        } catch (PatternSyntaxException e) {
                            throw new BerthException(INVALID, "invalid filter 'name=" + value + "'");
                        }
                    }
                    case "id" -> ids.add(value);
                    case "ancestor" -> {
                        ancestors.add(value);
                        String id = imageIdOf.apply(value);
                        if (id != null) {
                            ancestorIds.add(id);
                        }
                    }
                    case "exited" -> {
                        try {
                            exitCodes.add(Integer.parseInt(value));
                        } catch (NumberFormatException e) {
                            throw new BerthException(INVALID, "invalid filter 'exited=" + value + "'");
                        }
                    }
                    default -> throw new BerthException(INVALID, "invalid filter '" + filter.getKey() + "'");
                }
            }
        }
        return new ContainerFilters(statuses, labels, names, ids, ancestors, ancestorIds, exitCodes);
    }

    /** Whether any filter needs more than the running ones ({@code docker ps} shows only those by default). */
    boolean asksForStopped() {
        return !exitCodes.isEmpty() || statuses.stream().anyMatch(status -> !status.equals("running"));
    }

    boolean matches(ContainerRecord c) {
        if (!statuses.isEmpty() && !statuses.contains(c.state().status())) {
            return false;
        }
        if (!names.isEmpty() && names.stream().noneMatch(name -> name.matcher(c.name().substring(1)).find()
                || name.matcher(c.name()).find())) {
            return false;
        }
        if (!ids.isEmpty() && ids.stream().noneMatch(id -> c.id().startsWith(id))) {
            return false;
        }
        if (!ancestors.isEmpty() && !ancestors.contains(c.image()) && !ancestorIds.contains(c.imageId())) {
            return false;
        }
        if (!exitCodes.isEmpty() && (!c.state().status().equals(ContainerState.EXITED)
                || !exitCodes.contains(c.state().exitCode()))) {
            return false;
        }
        return ApiFilters.labelsMatch(labels, c.labels()::get);
    }
}
