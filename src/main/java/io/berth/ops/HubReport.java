package io.berth.ops;

import java.time.Instant;

/**
 * What {@code /actuator/hub} answers: the registry's content and its last garbage collection.
 *
 * @param repositories repositories, private ones included
 * @param tags         tags over all repositories
 * @param manifests    manifests (images, indexes, artifacts) over all repositories
 * @param blobs        distinct blobs stored, however many repositories link each
 * @param bytesStored  the bytes of those blobs
 * @param uploadsInProgress upload sessions started and neither committed nor cancelled yet
 * @param lastGc       the last garbage collection, or null when none ran
 */
record HubReport(long repositories, long tags, long manifests, long blobs, long bytesStored, long uploadsInProgress,
        LastGc lastGc) {

    /** What one garbage collection removed, as {@code GET /api/v1/admin/gc} tells it too. */
    record LastGc(Instant startedAt, Instant finishedAt, String trigger, long linksRemoved, long blobsRemoved,
            long bytesFreed, long uploadsRemoved, long orphanFilesRemoved) {
    }
}
