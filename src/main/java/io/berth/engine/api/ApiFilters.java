package io.berth.engine.api;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import tools.jackson.databind.JsonNode;

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
