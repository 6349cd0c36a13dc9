package io.berth.hub.web.repository;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A manifest as the tag page shows it: what it is, the image it describes (config and layers) or, for an index, the
 * manifests of its platforms, and what refers to it (signatures, SBOMs, attestations: the referrers API's answer).
 *
 * @param platform  the platform an index names it for; null for a manifest a tag names directly
 * @param stored    whether the repository holds it: an index may name platform manifests that were never pushed
 * @param config    the image config; null for an index, an artifact or a config that cannot be read
 * @param platforms the manifests an index lists, in its order; empty for anything else
 */
record ManifestView(String digest, String mediaType, String artifactType, long size, ImagePlatform platform,
                    boolean stored, boolean index, ImageConfigView config, List<Layer> layers, List<Referrer> referrers,
                    List<ManifestView> platforms) {

    ManifestView {
        layers = List.copyOf(layers);
        referrers = List.copyOf(referrers);
        platforms = List.copyOf(platforms);
    }

    /**
     * A layer of the image.
     *
     * @param createdBy the build step that made it, from the config's history; null when the history does not say
     */
    record Layer(String digest, String mediaType, long size, String createdBy) {
    }

    /** A manifest whose subject is this one. */
    record Referrer(String digest, String artifactType, String mediaType, long size, Instant createdAt) {
    }

    /**
     * What an image config says about running the image.
     *
     * @param created as the config writes it (RFC 3339), or null
     */
    record ImageConfigView(String digest, long size, ImagePlatform platform, String created, List<String> entrypoint,
                           List<String> cmd, List<String> env, Map<String, String> labels, String workingDir,
                           String user) {
    }
}
