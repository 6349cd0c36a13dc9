package io.berth.engine.container;

import static io.berth.common.error.ErrorKind.INVALID;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import tools.jackson.databind.json.JsonMapper;

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
record ContainerFilters(List<ContainerStatus> statuses, List<String> labels, List<Pattern> names, List<String> ids,
        List<String> ancestors, List<String> ancestorIds, List<Integer> exitCodes) {

    static final ContainerFilters NONE = new ContainerFilters(List.of(), List.of(), List.of(), List.of(), List.of(),
            List.of(), List.of());

    /** Parses both shapes clients send: {@code {"status":["running"]}} and {@code {"status":{"running":true}}}. */
    static ContainerFilters parse(JsonMapper json, String filters, Function<String, String> imageIdOf) {
        Map<String, List<String>> parsed = ApiFilters.parse(json, filters);
        if (parsed.isEmpty()) {
            return NONE;
        }
        List<ContainerStatus> statuses = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<Pattern> names = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        List<String> ancestors = new ArrayList<>();
        List<String> ancestorIds = new ArrayList<>();
        List<Integer> exitCodes = new ArrayList<>();
        parsed.forEach((filter, values) -> {
            for (String value : values) {
                switch (filter) {
                    case "status" -> statuses.add(ContainerStatus.of(value).orElseThrow(
                            () -> new BerthException(INVALID, "invalid filter 'status=" + value + "'")));
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
                    default -> throw new BerthException(INVALID, "invalid filter '" + filter + "'");
                }
            }
        });
        return new ContainerFilters(statuses, labels, names, ids, ancestors, ancestorIds, exitCodes);
    }

    /** Whether any filter needs more than the running ones ({@code docker ps} shows only those by default). */
    boolean asksForStopped() {
        return !exitCodes.isEmpty() || statuses.stream().anyMatch(status -> status != ContainerStatus.RUNNING);
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
        if (!exitCodes.isEmpty() && (!c.state().is(ContainerStatus.EXITED)
                || !exitCodes.contains(c.state().exitCode()))) {
            return false;
        }
        return ApiFilters.labelsMatch(labels, c.labels()::get);
    }
}
