package io.berth.engine.image;

import io.berth.common.Digest;

/**
 * What a pull resolved before transferring anything: the top-level manifest (what the reference names; an index for
 * multi-platform images) and this node's image manifest. Resolving first lets the Engine API answer "not found" with a
 * plain 404 before it starts streaming progress.
 */
public record PullPlan(ImageReference reference, RegistryAuth auth, Digest topDigest,
        RegistryClient.FetchedManifest top, RegistryClient.FetchedManifest image, Manifests.ImageManifest manifest) {
}
