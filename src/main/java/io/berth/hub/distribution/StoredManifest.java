package io.berth.hub.distribution;

import io.berth.common.Digest;

/** A manifest as the registry serves it: its exact bytes, media type and digest. */
record StoredManifest(Digest digest, String mediaType, byte[] content) {
}
