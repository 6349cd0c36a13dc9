package io.berth.hub.storage;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

import io.berth.common.Digest;

/**
 * Where blob bytes live: finished blobs, addressed by digest, and uploads in progress, addressed by their
 * session id. The store knows nothing of repositories, links or permissions; it only keeps bytes safe.
 *
 * <p>Guarantees every implementation gives: a blob is only ever visible under its digest once its bytes are
 * complete and durable (written to a temporary place, then moved), and {@link #commitUpload} returns only once the
 * blob would survive a crash or a power cut; reads and writes stream in bounded memory; {@link #stat} is cheap enough
 * to call for every blob a manifest references.
 */
public interface BlobStore {

    /** The blob stored under {@code digest}, if any. */
    Optional<BlobContent> find(Digest digest) throws IOException;

    /** The blob's size and last-modified time, if it is stored. */
    Optional<StoredBlob> stat(Digest digest) throws IOException;

    /** Removes a blob; does nothing when it is absent. */
    void delete(Digest digest) throws IOException;

    /** Calls {@code consumer} for every stored blob with its last-modified time (for garbage collection). */
    void forEachBlob(Consumer<StoredBlob> consumer) throws IOException;

    /** Starts an empty upload. */
    void createUpload(String uploadId) throws IOException;

    /** The number of bytes received so far, or empty when no such upload exists. */
    Optional<Long> uploadSize(String uploadId) throws IOException;

    /** When the upload last received bytes (or was created), or empty when no such upload exists. */
    Optional<Instant> uploadLastModified(String uploadId) throws IOException;

    /** Appends everything {@code in} yields to the upload and returns the number of bytes written. */
    long appendToUpload(String uploadId, InputStream in) throws IOException;

    /** Cuts an upload back to {@code size} bytes, undoing an append that must not count. */
    void truncateUpload(String uploadId, long size) throws IOException;

    /** Reads the upload's bytes so far (used to recompute a digest). */
    InputStream openUpload(String uploadId) throws IOException;

    /**
     * Makes the upload's bytes the blob {@code digest}, durably and atomically, and removes the upload. The caller
     * has verified the digest. When the blob already exists the upload is simply discarded.
     */
    void commitUpload(String uploadId, Digest digest) throws IOException;

    /** Removes an upload; does nothing when it is absent. */
    void deleteUpload(String uploadId) throws IOException;

    /** Calls {@code consumer} for every upload area with its last-modified time (for garbage collection). */
    void forEachUpload(Consumer<StoredUpload> consumer) throws IOException;

    /** The last write that failed, unless a write has succeeded since. */
    Optional<WriteFailure> lastWriteFailure();

    /** A blob as the store sees it. */
    record StoredBlob(Digest digest, long size, Instant lastModified) {
    }

    /** An upload area as the store sees it. */
    record StoredUpload(String uploadId, Instant lastModified) {
    }

    /** A write that failed: when, what it was, and the error. */
    record WriteFailure(Instant at, String operation, String error) {
    }
}
