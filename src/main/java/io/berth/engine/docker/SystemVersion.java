package io.berth.engine.docker;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code GET /version} (swagger {@code SystemVersion}): the server, its components and the API versions it speaks. */
@DockerJson
public record SystemVersion(Platform platform, List<ComponentVersion> components, String version,
        String apiVersion, @JsonProperty("MinAPIVersion") String minApiVersion, String os, String arch,
        String kernelVersion) {

    /** The product's name, which {@code docker version} prints after "Server:". */
    @DockerJson
    public record Platform(String name) {
    }

    /** A part of the server with its version and details (free-form, as in Docker's API). */
    @DockerJson
    public record ComponentVersion(String name, String version, Map<String, String> details) {
    }
}
