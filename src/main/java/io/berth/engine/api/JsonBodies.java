package io.berth.engine.api;

import static io.berth.common.error.ErrorKind.INVALID;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import io.berth.common.error.BerthException;

/**
 * Request bodies of the Engine API read into their shapes. Read from the bytes whatever the {@code Content-Type}
 * says (or whether there is one), as the Engine always has: clients send JSON bodies without it at times.
 */
public final class JsonBodies {

    private JsonBodies() {
    }

    /** The body as a {@code type}; null for an empty body. A body that is no such JSON is INVALID. */
    public static <T> T read(JsonMapper json, byte[] body, Class<T> type) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return json.readValue(body, type);
        } catch (JacksonException e) {
            throw new BerthException(INVALID, "invalid JSON body: " + e.getOriginalMessage());
        }
    }
}
