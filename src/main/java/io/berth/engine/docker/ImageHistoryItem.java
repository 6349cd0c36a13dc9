package io.berth.engine.docker;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One step of {@code GET /images/{name}/history} (swagger {@code ImageHistoryResponseItem}), fields in dockerd's
 * order.
 *
 * @param created Unix seconds
 * @param id      the image's id on the newest step, {@code <missing>} on the others
 * @param tags    the image's tags on the newest step, null elsewhere
 */
public record ImageHistoryItem(
        @JsonProperty("Comment") String comment,
        @JsonProperty("Created") long created,
        @JsonProperty("CreatedBy") String createdBy,
        @JsonProperty("Id") String id,
        @JsonProperty("Size") long size,
        @JsonProperty("Tags") List<String> tags) {
}
