package io.berth.engine.events;

import static io.berth.common.error.ErrorKind.INVALID;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import tools.jackson.databind.json.JsonMapper;

import io.berth.common.error.BerthException;
import io.berth.engine.api.ApiFilters;

/**
 * The parameters of {@code GET /events}: {@code since} and {@code until} (unix seconds with an optional fraction, as
 * the docker CLI sends them, or RFC 3339) and {@code filters} ({@code type}, {@code event}, {@code container},
 * {@code image}, {@code label}). Values of one filter are alternatives; different filters must all match.
 */
record EventQuery(Long sinceNano, Long untilNano, Predicate<EngineEvent> filter) {

    private static final Set<String> FILTERS = Set.of("type", "event", "container", "image", "label");

    static EventQuery parse(JsonMapper json, String since, String until, String filters) {
        return new EventQuery(time("since", since), time("until", until), filter(json, filters));
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

    private static Predicate<EngineEvent> filter(JsonMapper json, String filters) {
        Map<String, List<String>> values = ApiFilters.parse(json, filters);
        for (String name : values.keySet()) {
            if (!FILTERS.contains(name)) {
                throw new BerthException(INVALID, "invalid filter '" + name + "'");
            }
        }
        List<Predicate<EngineEvent>> all = new ArrayList<>();
        values.forEach((name, accepted) -> all.add(event -> accepted.stream()
                .anyMatch(value -> matches(name, value, event))));
        return event -> all.stream().allMatch(predicate -> predicate.test(event));
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
