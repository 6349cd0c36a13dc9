package io.berth.engine.api;

import static io.berth.common.error.ErrorKind.INVALID;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.berth.common.error.BerthException;

/**
 * The parameters of {@code GET /events}: {@code since} and {@code until} (unix seconds with an optional fraction, as
 * the docker CLI sends them, or RFC 3339) and {@code filters} ({@code type}, {@code event}, {@code container},
 * {@code image}, {@code label}). Values of one filter are alternatives; different filters must all match.
 */
record EventQuery(Long sinceNano, Long untilNano, Predicate<EngineEvent> filter) {

    private static final Set<String> FILTERS = Set.of("type", "event", "container", "image", "label");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    static EventQuery parse(String since, String until, String filters) {
        return new EventQuery(time("since", since), time("until", until), filter(filters));
    }

    private static Long time(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return new BigDecimal(value.trim()).movePointRight(9).longValue();
        } catch (NumberFormatException e) {
            try {
                Instant instant = OffsetDateTime.parse(value.trim()).toInstant();
                return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
            } catch (DateTimeParseException notRfc3339) {
                throw new BerthException(INVALID, "invalid value for " + name + ": " + value);
            }
        }
    }

    private static Predicate<EngineEvent> filter(String filters) {
        if (filters == null || filters.isBlank()) {
            return event -> true;
        }
        JsonNode root;
        try {
            root = JSON.readTree(filters);
        } catch (JacksonException e) {
            throw new BerthException(INVALID, "invalid filters: " + filters);
        }
        if (!root.isObject()) {
            throw new BerthException(INVALID, "invalid filters: " + filters);
        }
        Map<String, List<String>> values = new HashMap<>();
        for (Map.Entry<String, JsonNode> entry : root.properties()) {
            if (!FILTERS.contains(entry.getKey())) {
                throw new BerthException(INVALID, "invalid filter '" + entry.getKey() + "'");
            }
            values.put(entry.getKey(), values(entry.getKey(), entry.getValue()));
        }
        List<Predicate<EngineEvent>> all = new ArrayList<>();
        values.forEach((name, accepted) -> all.add(event -> accepted.stream().anyMatch(value -> matches(name, value, event))));
        return event -> all.stream().allMatch(predicate -> predicate.test(event));
    }

    /** Both forms clients send: {@code {"type":{"container":true}}} and the older {@code {"type":["container"]}}. */
    private static List<String> values(String name, JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(value -> values.add(value.asString()));
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> entry : node.properties()) {
                if (entry.getValue().asBoolean()) {
                    values.add(entry.getKey());
                }
            }
        } else {
            throw new BerthException(INVALID, "invalid value for filter '" + name + "'");
        }
        return values;
    }

    private static boolean matches(String name, String value, EngineEvent event) {
        return switch (name) {
            case "type" -> event.type().equals(value);
            case "event" -> event.action().equals(value) || event.action().startsWith(value + ":");
            case "container" -> event.type().equals("container") && names(event, value);
            case "image" -> (event.type().equals("image") && names(event, value))
                    || value.equals(event.attributes().get("image"));
            case "label" -> label(event, value);
            default -> false;
        };
    }

    private static boolean names(EngineEvent event, String value) {
        return value.equals(event.attributes().get("name")) || (event.id() != null && event.id().startsWith(value));
    }

    private static boolean label(EngineEvent event, String value) {
        int equals = value.indexOf('=');
        if (equals < 0) {
            return event.attributes().containsKey(value);
        }
        return value.substring(equals + 1).equals(event.attributes().get(value.substring(0, equals)));
    }
}
