package io.berth.engine.docker;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Unmodifiable copies for the shapes' lists and maps: in the order the client gave them (labels come back as they
 * were sent) and taking nulls inside (Go's decoder takes {@code ["a", null]}), unlike {@code List.copyOf}.
 */
final class Copies {

    private Copies() {
    }

    static <T> List<T> list(List<T> list) {
        return list == null ? null : Collections.unmodifiableList(new ArrayList<>(list));
    }

    static <K, V> Map<K, V> map(Map<K, V> map) {
        return map == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    /** A map of lists, both levels unmodifiable (HostConfig.PortBindings). */
    static <K, V> Map<K, List<V>> mapOfLists(Map<K, List<V>> map) {
        if (map == null) {
            return null;
        }
        Map<K, List<V>> copy = new LinkedHashMap<>();
        map.forEach((key, values) -> copy.put(key, list(values)));
        return Collections.unmodifiableMap(copy);
    }
}
