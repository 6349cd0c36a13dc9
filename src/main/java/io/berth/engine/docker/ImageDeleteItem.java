package io.berth.engine.docker;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One line of what {@code docker rmi} and {@code docker image prune} removed (swagger {@code ImageDeleteResponseItem}):
 * {@code {"Untagged": reference}} or {@code {"Deleted": id}}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImageDeleteItem(
        @JsonProperty("Untagged") String untagged,
        @JsonProperty("Deleted") String deleted) {

    public static ImageDeleteItem untagged(String reference) {
        return new ImageDeleteItem(reference, null);
    }

    public static ImageDeleteItem deleted(String id) {
        return new ImageDeleteItem(null, id);
    }
}
