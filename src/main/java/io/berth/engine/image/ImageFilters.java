package io.berth.engine.image;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import io.berth.common.error.BerthException;
import io.berth.common.error.ErrorKind;
import io.berth.engine.api.ApiFilters;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code filters} of {@code GET /images/json} ({@code docker images --filter}, and {@code docker images <name>}):
 * {@code dangling}, {@code reference} (a glob on the familiar name, with or without tag or digest) and {@code label}.
 * Several values of one filter match if any does; different filters must all match. Unknown filters are refused, as
 * dockerd refuses them, rather than ignored.
 */
public record ImageFilters(Boolean dangling, List<Pattern> references, List<String> labels) {

    public static final ImageFilters NONE = new ImageFilters(null, List.of(), List.of());

    /** Parses both shapes clients send: {@code {"dangling":["true"]}} and {@code {"dangling":{"true":true}}}. */
    public static ImageFilters parse(String filters, JsonMapper json) {
        Boolean dangling = null;
        List<Pattern> references = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (Map.Entry<String, JsonNode> filter : read(filters, json)) {
            List<String> values = ApiFilters.values(filter.getValue());
            switch (filter.getKey()) {
                case "dangling" -> {
                    for (String value : values) {
                        if (!value.matches("(?i)true|false|1|0")) {
                            throw invalid("invalid filter 'dangling=" + value + "'");
                        }
                        dangling = value.equalsIgnoreCase("true") || value.equals("1");
                    }
                }
                case "reference" -> values.forEach(value -> references.add(glob(value)));
                case "label" -> labels.addAll(values);
                default -> throw invalid("invalid filter '" + filter.getKey() + "'");
            }
        }
        return new ImageFilters(dangling, List.copyOf(references), List.copyOf(labels));
    }

    /**
     * The {@code filters} of {@code POST /images/prune}: whether they ask to prune every unused image
     * ({@code dangling=false}) rather than the untagged ones only. Other filters are refused: better than pruning more
     * than the caller's filter would have let through.
     */
    public static boolean prunesTaggedImages(String filters, JsonMapper json) {
        String value = "true";
        for (Map.Entry<String, JsonNode> filter : read(filters, json)) {
            if (!filter.getKey().equals("dangling")) {
                throw invalid("invalid filter '" + filter.getKey() + "'");
            }
            List<String> values = ApiFilters.values(filter.getValue());
            if (!values.isEmpty()) {
                value = values.get(0);
            }
        }
        return value.equals("false") || value.equals("0");
    }

    /**
     * The references of an image this filter lets through, as dockerd lists them: with a {@code reference} filter
     * only the matching ones (so that {@code docker images NAME} shows no other name's tags); empty when the image is
     * not listed at all.
     *
     * @param imageLabels the image's labels, null when it has none
     */
    public Optional<List<ImageReference>> select(List<ImageReference> refs, Map<String, String> imageLabels) {
        if (!ApiFilters.labelsMatch(labels, key -> imageLabels == null ? null : imageLabels.get(key))) {
            return Optional.empty();
        }
        List<ImageReference> shown = references.isEmpty() ? refs
                : refs.stream().filter(this::matchesReference).toList();
        boolean tagged = shown.stream().anyMatch(ref -> ref.tag() != null);
        if (shown.isEmpty()) {
            // An image without references is dangling; a reference filter never lists it.
            if (Boolean.FALSE.equals(dangling) || !references.isEmpty()) {
                return Optional.empty();
            }
        } else if (Boolean.TRUE.equals(dangling) && tagged) {
            return Optional.empty();
        }
        return Optional.of(shown);
    }

    /** Go's reference.FamiliarMatch: the pattern against {@code name:tag} (or {@code name@digest}), then the name. */
    private boolean matchesReference(ImageReference ref) {
        return references.stream().anyMatch(pattern -> pattern.matcher(ref.familiar()).matches()
                || pattern.matcher(ref.familiarName()).matches());
    }

    private static Iterable<Map.Entry<String, JsonNode>> read(String filters, JsonMapper json) {
        if (filters == null || filters.isBlank()) {
            return List.of();
        }
        try {
            JsonNode parsed = json.readTree(filters);
            if (parsed == null || !parsed.isObject()) {
                throw invalid("invalid filters: not a JSON object");
            }
            return parsed.properties();
        } catch (JacksonException e) {
            throw invalid("invalid filters: " + e.getOriginalMessage());
        }
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

    private static BerthException invalid(String message) {
        return new BerthException(ErrorKind.INVALID, message);
    }
}
