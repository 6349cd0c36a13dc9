package io.berth.hub.metadata;

/**
 * Everything the Hub stores, each blob once however many repositories link it.
 *
 * @param blobs          blobs in the blob store
 * @param blobBytes      their size
 * @param unlinkedBlobs  blobs no repository links any more: garbage collection removes them after the grace period
 * @param unlinkedBytes  their size
 * @param manifests      manifests, one per repository that holds it (the database keeps a copy for each)
 * @param manifestBytes  their size
 */
public record StoredTotal(long blobs, long blobBytes, long unlinkedBlobs, long unlinkedBytes, long manifests,
        long manifestBytes) {
}
