package io.berth.engine.build.dockerfile;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The exec form of {@code RUN}, {@code CMD}, {@code COPY}, ...: a strict JSON array. Anything that is not valid JSON
 * (single quotes, a trailing comma, text after the closing bracket) is no array, and the instruction falls back to its
 * shell or whitespace form, as the Dockerfile reference warns; a valid array holding something else than strings is an
 * error.
 */
public final class JsonArrays {

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    private JsonArrays() {
    }

    /** The array's strings; null when {@code text} is no JSON array; an error when it holds a non-string. */
    static List<String> parse(String text) {
        String trimmed = text.stripLeading();
        if (!trimmed.startsWith("[")) {
            return null;
        }
        JsonNode node;
        try {
            node = JSON.readTree(trimmed);
        } catch (JacksonException e) {
            return null;
        }
        if (node == null || !node.isArray()) {
            return null;
        }
        List<String> values = new ArrayList<>(node.size());
        for (JsonNode element : node) {
            if (!element.isString()) {
                throw new IllegalArgumentException(
                        "when using JSON array syntax, arrays must be comprised of strings only");
            }
            values.add(element.stringValue());
        }
        return values;
    }

    public static String format(List<String> values) {
        return JSON.writeValueAsString(values);
    }
}
