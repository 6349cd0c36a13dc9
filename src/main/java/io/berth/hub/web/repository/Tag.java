package io.berth.hub.web.repository;

import java.time.Instant;
import java.util.List;

/**
 * A tag of a repository and what it points at.
 *
 * @param size      bytes of the manifest, its config and its layers; for an index, of its child manifests too
 * @param platforms the platforms the image or the index's images run on
 * @param pushedAt  when the tag last moved
 */
record Tag(String name, String digest, String mediaType, long size, List<ImagePlatform> platforms,
                  Instant pushedAt) {
}
