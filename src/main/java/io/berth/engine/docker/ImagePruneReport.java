package io.berth.engine.docker;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What {@code POST /images/prune} removed (swagger {@code ImagePruneResponse}).
 *
 * @param imagesDeleted  null when nothing was removed, as dockerd answers
 * @param spaceReclaimed the unpacked bytes freed
 */
public record ImagePruneReport(
        @JsonProperty("ImagesDeleted") List<ImageDeleteItem> imagesDeleted,
        @JsonProperty("SpaceReclaimed") long spaceReclaimed) {
}
