package io.berth.engine.graph;

/** Where unpacked layers live: overlay (lower dirs shared read-only) or vfs (full copies). */
public interface GraphDriver {

    String name();                                    // "overlay" or "vfs"

    boolean hasLayer(String chainId);                 // chainId = "sha256:<hex>"

    /**
     * Unpacks a layer archive (gzip, zstd or uncompressed tar, detected by magic bytes) as layer chainId on top of
     * parentChainId (null for a base layer). Computes the sha256 of the uncompressed tar while reading and refuses
     * (InvalidLayerException, nothing left behind) when it differs from expectedDiffId. Atomic: the layer appears
     * complete or not at all; safe to call concurrently for different chain ids. Returns the unpacked size in bytes.
     */
    long createLayer(String chainId, String parentChainId, io.berth.common.Digest expectedDiffId,
            java.io.InputStream archive) throws java.io.IOException;

    void removeLayer(String chainId) throws java.io.IOException;

    /** The layer's own directory (its diff for overlay; the full tree for vfs). */
    java.nio.file.Path layerPath(String chainId);
}
