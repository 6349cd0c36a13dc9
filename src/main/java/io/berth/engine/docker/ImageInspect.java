package io.berth.engine.docker;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import tools.jackson.databind.JsonNode;

/**
 * {@code GET /images/{name}/json} (swagger {@code ImageInspect}).
 *
 * @param created RFC 3339
 * @param config  the image's run defaults as its configuration holds them (null when it has none); in API 1.47 a
 *                container {@code Config}, shown unchanged
 * @param variant left out when the image names none
 */
public record ImageInspect(
        @JsonProperty("Id") String id,
        @JsonProperty("RepoTags") List<String> repoTags,
        @JsonProperty("RepoDigests") List<String> repoDigests,
        @JsonProperty("Parent") String parent,
        @JsonProperty("Comment") String comment,
        @JsonProperty("Created") String created,
        @JsonProperty("DockerVersion") String dockerVersion,
        @JsonProperty("Author") String author,
        @JsonProperty("Config") JsonNode config,
        @JsonProperty("Architecture") String architecture,
        @JsonProperty("Variant") @JsonInclude(JsonInclude.Include.NON_NULL) String variant,
        @JsonProperty("Os") String os,
        @JsonProperty("Size") long size,
        @JsonProperty("GraphDriver") DriverData graphDriver,
        @JsonProperty("RootFS") RootFs rootFs,
        @JsonProperty("Metadata") Metadata metadata) {

    /** The layers, by diff id, base first. */
    public record RootFs(
            @JsonProperty("Type") String type,
            @JsonProperty("Layers") List<String> layers) {
    }

    /** What the daemon knows of the image that is not part of it. */
    public record Metadata(@JsonProperty("LastTagTime") String lastTagTime) {
    }
}
