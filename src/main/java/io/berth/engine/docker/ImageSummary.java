package io.berth.engine.docker;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One entry of {@code GET /images/json} (swagger {@code ImageSummary}), fields in dockerd's order.
 *
 * @param containers -1: not counted, as dockerd answers unless asked
 * @param created    the image's creation time in Unix seconds
 * @param labels     null when the image has none
 * @param sharedSize -1: not computed
 * @param size       the unpacked size of all layers
 */
public record ImageSummary(
        @JsonProperty("Containers") long containers,
        @JsonProperty("Created") long created,
        @JsonProperty("Id") String id,
        @JsonProperty("Labels") Map<String, String> labels,
        @JsonProperty("ParentId") String parentId,
        @JsonProperty("RepoDigests") List<String> repoDigests,
        @JsonProperty("RepoTags") List<String> repoTags,
        @JsonProperty("SharedSize") long sharedSize,
        @JsonProperty("Size") long size) {
}
