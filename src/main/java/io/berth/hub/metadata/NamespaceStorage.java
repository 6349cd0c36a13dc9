package io.berth.hub.metadata;

/**
 * What one namespace's repositories hold.
 *
 * @param blobs         distinct blobs linked into any repository of the namespace: a blob two of its repositories
 *                      share counts once, a blob another namespace links too counts there as well
 * @param blobBytes     the size of those blobs
 * @param manifests     manifests stored in the namespace's repositories (kept in the database, not the blob store)
 * @param manifestBytes their size
 */
public record NamespaceStorage(String namespace, long repositories, long blobs, long blobBytes, long manifests,
        long manifestBytes) {
}
