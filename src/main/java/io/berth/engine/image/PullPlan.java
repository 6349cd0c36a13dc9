package io.berth.engine.image;

import io.berth.common.Digest;
import io.berth.common.oci.ParsedManifest;

/**
 * What a pull resolved before transferring anything: the top-level manifest (what the reference names; an index for
 * multi-platform images) and this node's image manifest. Resolving first lets the Engine API answer "not found" with a
 * plain 404 before it starts streaming progress.
 */
public record PullPlan(ImageReference reference, RegistryAuth auth, RegistryClient.FetchedManifest top,
        RegistryClient.FetchedManifest image) {

    /** The digest docker shows and pulls by: the top-level manifest's. */
    public Digest topDigest() {
        return top.digest();
    }

    /** This node's image manifest: its config and layers. */
    public ParsedManifest manifest() {
        return image.parsed();
    }
}
