package io.berth.hub.web.repository;

import java.util.List;

/**
 * What a tag listing tells of a manifest: its size with everything it references, and its platforms.
 *
 * @param complete whether everything that goes into it could be read; an incomplete summary is not kept
 */
record ManifestSummary(long size, List<ImagePlatform> platforms, boolean complete) {

    ManifestSummary {
        platforms = List.copyOf(platforms);
    }
}
