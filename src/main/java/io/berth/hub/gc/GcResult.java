package io.berth.hub.gc;

import java.time.Instant;

/**
 * What one garbage collection did.
 *
 * @param linksRemoved repository links to blobs that nothing in their repository referenced
 * @param blobsRemoved blobs no repository linked any more, removed with their bytes
 * @param bytesFreed the size of those blobs
 * @param uploadsRemoved abandoned upload sessions
 * @param orphanFilesRemoved files in the blob store that no metadata named (left by a crash)
 */
public record GcResult(Instant startedAt, Instant finishedAt, String trigger, long linksRemoved, long blobsRemoved,
        long bytesFreed, long uploadsRemoved, long orphanFilesRemoved) {
}
