package io.berth.engine.image;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One entry of an image archive's {@code manifest.json} ({@code docker save} / {@code docker load}): the image's config
 * file and its layer files, bottom first, as paths inside the archive, and its tags ({@code null} when it was saved by
 * id, as dockerd writes it). Fields docker added later ({@code Parent}, {@code LayerSources}) are ignored.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.ALWAYS)
record ArchiveManifest(@JsonProperty("Config") String config, @JsonProperty("RepoTags") List<String> repoTags,
        @JsonProperty("Layers") List<String> layers) {
}
