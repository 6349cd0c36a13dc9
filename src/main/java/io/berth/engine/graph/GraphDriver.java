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

    /**
     * Creates container {@code containerId}'s writable layer over the image whose top layer is {@code topChainId}
     * (null for an image without layers) and returns the directory to use as the spec's root.path: for overlay an
     * overlay mount of the image's layers below the container's own upper directory, for vfs a full copy of the
     * image's tree. Idempotent: a rootfs already created (and, for overlay, mounted) is returned as it is, one created
     * but unmounted (after a reboot) is mounted again. Refuses an existing rootfs of the same container over another
     * image.
     */
    java.nio.file.Path createRootfs(String containerId, String topChainId) throws java.io.IOException;

    /** Unmounts the container's rootfs if it is mounted (overlay); the writable layer stays. Nothing for vfs. */
    void unmountRootfs(String containerId) throws java.io.IOException;

    /** Unmounts and deletes the container's writable layer; nothing when there is none. */
    void removeRootfs(String containerId) throws java.io.IOException;

    /**
     * What the container changed: the overlay upper directory (whiteouts as 0/0 character devices), or the whole vfs
     * tree (to compare with the image's top layer). For {@code docker diff} and the container's size.
     */
    java.nio.file.Path rootfsDiff(String containerId) throws java.io.IOException;

    /**
     * Writes what container {@code containerId} changed, as the entries of a layer: for overlay the files of its upper
     * directory (0/0 character devices become {@code .wh.} whiteouts, opaque directories {@code .wh..wh..opq}), for
     * vfs the differences between its tree and its image's. What {@code RUN} and {@code docker commit} make a layer
     * of. The container should not run meanwhile.
     */
    void writeChanges(String containerId, LayerTarWriter tar) throws java.io.IOException;

    /**
     * What container {@code containerId} changed in its image's file system, as {@code docker diff} lists it (dockerd's
     * rules: a changed file's directory listed as modified too), in name order.
     */
    java.util.List<FileChange> changes(String containerId) throws java.io.IOException;

    /**
     * A read-only view of the file system of the image whose top layer is {@code topChainId} (null: an empty tree).
     * The caller closes it.
     */
    LayerView view(String topChainId) throws java.io.IOException;
}
