package io.berth.engine.image;

import io.berth.common.Digest;

/** An OCI content descriptor: what a manifest says about a blob it references. */
public record Descriptor(String mediaType, Digest digest, long size) {

    public Descriptor {
        if (digest == null || size < 0) {
            throw new ImageTransferException(500, "invalid descriptor: digest " + digest + ", size " + size);
        }
    }

    /** The first 12 hex digits, as docker names layers in progress output. */
    public String shortId() {
        return digest.hex().substring(0, 12);
    }
}
