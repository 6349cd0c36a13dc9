package io.berth.engine.runtime.spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import com.fasterxml.jackson.annotation.JsonInclude;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * A bundle's config.json: written pretty with absent values left out, read back leniently (a spec from another tool
 * may carry fields Berth does not model; they are ignored).
 */
public final class SpecJson {

    /** The file name runtimes look for in a bundle directory. */
    public static final String FILE_NAME = "config.json";

    private static final JsonMapper JSON = JsonMapper.builder()
            .changeDefaultPropertyInclusion(inclusion -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private SpecJson() {
    }

    public static String toJson(Spec spec) {
        return JSON.writeValueAsString(spec);
    }

    /** A process alone, as {@code runc exec --process} reads it. */
    public static String toJson(Process process) {
        return JSON.writeValueAsString(process);
    }

    public static Spec fromJson(String json) {
        return JSON.readValue(json, Spec.class);
    }

    /**
     * Writes {@code bundle/config.json} through a temporary file renamed into place, so a runtime never reads half a
     * spec. Returns the file.
     */
    public static Path write(Spec spec, Path bundle) throws IOException {
        Path target = bundle.resolve(FILE_NAME);
        Path temporary = Files.createTempFile(bundle, ".config-", ".json");
        try {
            Files.writeString(temporary, toJson(spec));
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
        return target;
    }

    public static Spec read(Path bundle) throws IOException {
        try {
            return fromJson(Files.readString(bundle.resolve(FILE_NAME)));
        } catch (JacksonException e) {
            throw new IOException("cannot read " + bundle.resolve(FILE_NAME) + ": " + e.getOriginalMessage(), e);
        }
    }
}
