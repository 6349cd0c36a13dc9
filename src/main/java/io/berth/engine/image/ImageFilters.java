package io.berth.engine.image;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.berth.engine.api.ApiFilters;
import io.berth.engine.api.EngineException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code filters} of {@code GET /images/json} ({@code docker images --filter}, and {@code docker images <name>}):
 * {@code dangling}, {@code reference} (a glob on the familiar name, with or without tag) and {@code label}. Several
 * values of one filter match if any does; different filters must all match. Unknown filters are refused, as dockerd
 * refuses them, rather than ignored.
 */
public record ImageFilters(Boolean dangling, List<Pattern> references, List<String> labels) {

    public static final ImageFilters NONE = new ImageFilters(null, List.of(), List.of());

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Parses both shapes clients send: {@code {"dangling":["true"]}} and {@code {"dangling":{"true":true}}}. */
    public static ImageFilters parse(String filters) {
        if (filters == null || filters.isBlank()) {
            return NONE;
        }
        JsonNode json;
        try {
            json = JSON.readTree(filters);
        } catch (JacksonException e) {
            throw EngineException.badRequest("invalid filters: " + e.getOriginalMessage());
        }
        Boolean dangling = null;
        List<Pattern> references = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (Map.Entry<String, JsonNode> filter : json.properties()) {
            List<String> values = ApiFilters.values(filter.getValue());
            switch (filter.getKey()) {
                case "dangling" -> {
                    for (String value : values) {
                        if (!value.matches("(?i)true|false|1|0")) {
                            throw EngineException.badRequest("invalid filter 'dangling=" + value + "'");
                        }
                        dangling = value.equalsIgnoreCase("true") || value.equals("1");
                    }
                }
                case "reference" -> values.forEach(value -> references.add(glob(value)));
                case "label" -> labels.addAll(values);
                default -> throw EngineException.badRequest("invalid filter '" + filter.getKey() + "'");
            }
        }
        return new ImageFilters(dangling, List.copyOf(references), List.copyOf(labels));
    }

    /** Whether an image with these tags ({@code name:tag}, familiar) and config labels passes. */
    public boolean matches(List<String> tags, JsonNode imageLabels) {
        if (dangling != null && dangling != tags.isEmpty()) {
            return false;
        }
        if (!references.isEmpty() && tags.stream().noneMatch(tag -> references.stream().anyMatch(pattern ->
                pattern.matcher(tag).matches() || pattern.matcher(tag.substring(0, tag.lastIndexOf(':'))).matches()))) {
            return false;
        }
        return ApiFilters.labelsMatch(labels, key -> imageLabels == null || imageLabels.get(key) == null ? null
                : imageLabels.get(key).asString(""));
    }

    /** Go's path.Match as docker uses it on references: {@code *} and {@code ?} never cross a {@code /}. */
    private static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> regex.append("[^/]*");
                case '?' -> regex.append("[^/]");
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
