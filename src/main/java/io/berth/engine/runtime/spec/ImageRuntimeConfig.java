package io.berth.engine.runtime.spec;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * The parts of an image's config the runtime needs, each null when the image does not set it (an image's
 * {@code "Cmd": null} and a missing {@code Cmd} mean the same).
 */
public record ImageRuntimeConfig(List<String> env, List<String> cmd, List<String> entrypoint, String workingDir,
        String user, String stopSignal) {

    /** An image that sets nothing, as {@code FROM scratch} with only files. */
    public static ImageRuntimeConfig empty() {
        return new ImageRuntimeConfig(null, null, null, null, null, null);
    }

    /**
     * Reads the {@code config} object of an OCI or Docker image config blob ({@code {"architecture":...,
     * "config":{"Env":[...],"Cmd":[...]}, "rootfs":...}}); a blob without one gives {@link #empty()}.
     */
    public static ImageRuntimeConfig from(JsonNode imageConfigBlob) {
        JsonNode config = imageConfigBlob == null ? null : imageConfigBlob.get("config");
        if (config == null || !config.isObject()) {
            return empty();
        }
        return new ImageRuntimeConfig(strings(config, "Env"), strings(config, "Cmd"), strings(config, "Entrypoint"),
                string(config, "WorkingDir"), string(config, "User"), string(config, "StopSignal"));
    }

    private static List<String> strings(JsonNode config, String name) {
        JsonNode node = config.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isString()) {
            return List.of(node.asString()); // very old images wrote a lone string
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException("image config " + name + " is neither a list of strings nor null");
        }
        List<String> values = new ArrayList<>();
        node.forEach(value -> values.add(value.asString()));
        return List.copyOf(values);
    }

    private static String string(JsonNode config, String name) {
        JsonNode node = config.get(name);
        return node == null || node.isNull() ? null : node.asString();
    }
}
