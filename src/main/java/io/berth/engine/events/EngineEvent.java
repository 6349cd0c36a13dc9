package io.berth.engine.events;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

import io.berth.engine.docker.EventMessage;

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

    /** The attributes in the order of their keys, as Go writes a map. */
    public EngineEvent {
        attributes = Collections.unmodifiableMap(new TreeMap<>(attributes));
    }

    /**
     * One line of the {@code /events} stream. Container and image events carry the old format's {@code status},
     * {@code id} (and a container's {@code from}, its image) as dockerd fills them for API versions before 1.52.
     */
    public EventMessage toMessage() {
        boolean container = type.equals("container");
        boolean legacy = container || type.equals("image");
        return new EventMessage(legacy ? action : null, legacy ? id : null,
                container ? attributes.get("image") : null, type, action, new EventMessage.Actor(id, attributes),
                "local", timeNano / 1_000_000_000L, timeNano);
    }
}
