package io.berth.engine.api;

import static io.berth.common.error.ErrorKind.INVALID;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.berth.common.error.BerthException;

/** What the {@code filters} parameters of the list endpoints (images, containers, volumes) have in common. */
public final class ApiFilters {

    private ApiFilters() {
    }

    /**
     * The values of one filter in both shapes clients send: {@code ["a","b"]} (newer) and {@code {"a":true}}
     * (older docker CLIs).
     */
    public static List<String> values(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(value -> values.add(value.asString("")));
        } else if (node.isObject()) {
            node.properties().forEach(entry -> values.add(entry.getKey()));
        } else {
            values.add(node.asString(""));
        }
        return values;
    }

    /**
     * The {@code filters} parameter as moby's {@code filters.FromJSON} reads it: each filter's values, from
     * {@code {"label":{"a=b":true}}} (the values are the keys whose flag is not {@code false}) or the older
     * {@code {"label":["a=b"]}}; empty for none. Anything else is refused (INVALID).
     */
    public static Map<String, List<String>> parse(JsonMapper json, String filters) {
        Map<String, List<String>> parsed = new LinkedHashMap<>();
        if (filters == null || filters.isBlank()) {
            return parsed;
        }
        try (JsonParser parser = json.createParser(filters)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw invalidFilters(filters);
            }
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = parser.currentName();
                List<String> values = parsed.computeIfAbsent(name, key -> new ArrayList<>());
                JsonToken shape = parser.nextToken();
                if (shape == JsonToken.START_ARRAY) {
                    for (JsonToken item = parser.nextToken(); item != JsonToken.END_ARRAY; item = parser.nextToken()) {
                        if (!item.isScalarValue()) {
                            throw new BerthException(INVALID, "invalid value for filter '" + name + "'");
                        }
                        values.add(parser.getString());
                    }
                } else if (shape == JsonToken.START_OBJECT) {
                    while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                        String value = parser.currentName();
                        JsonToken flag = parser.nextToken();
                        if (flag.isStructStart()) {
                            throw new BerthException(INVALID, "invalid value for filter '" + name + "'");
                        }
                        if (flag != JsonToken.VALUE_FALSE) {
                            values.add(value);
                        }
                    }
                } else {
                    throw new BerthException(INVALID, "invalid value for filter '" + name + "'");
                }
            }
            if (parser.nextToken() != null) {
                throw invalidFilters(filters);
            }
        } catch (JacksonException e) {
            throw new BerthException(INVALID, "invalid filters: " + e.getOriginalMessage());
        }
        return parsed;
    }

    private static BerthException invalidFilters(String filters) {
        return new BerthException(INVALID, "invalid filters: " + filters);
    }

    /**
     * Whether every {@code label} filter ({@code key} or {@code key=value}) matches; {@code labelValue} gives a
     * label's value, or null when there is no such label.
     */
    public static boolean labelsMatch(List<String> wanted, Function<String, String> labelValue) {
        for (String label : wanted) {
            int equals = label.indexOf('=');
            String key = equals < 0 ? label : label.substring(0, equals);
            String value = labelValue.apply(key);
            if (value == null || (equals >= 0 && !value.equals(label.substring(equals + 1)))) {
                return false;
            }
        }
        return true;
    }
}
