package io.berth.engine.api;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Something that happened in the Engine, as {@code docker events} shows it: a container started, an image was pulled.
 *
 * @param type       what kind of object: {@code container}, {@code image}, {@code network}, {@code volume}, ...
 * @param action     what happened to it: {@code create}, {@code start}, {@code die}, {@code pull}, {@code delete}, ...
 * @param id         the object's ID (or, for images, the reference it was known by)
 * @param attributes what else identifies it ({@code name}, {@code image}, labels, {@code exitCode}, ...)
 * @param timeNano   when, in nanoseconds since the epoch
 */
public record EngineEvent(String type, String action, String id, Map<String, String> attributes, long timeNano) {

    public EngineEvent {
        attributes = Map.copyOf(attributes);
    }

    /** The body of one line of the {@code /events} stream, with dockerd's keys. */
    Map<String, Object> toJson() {
        Map<String, Object> actor = new LinkedHashMap<>();
        actor.put("ID", id);
        actor.put("Attributes", attributes);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("Type", type);
        json.put("Action", action);
        json.put("Actor", actor);
        json.put("scope", "local");
        json.put("time", timeNano / 1_000_000_000L);
        json.put("timeNano", timeNano);
        return json;
    }
}
