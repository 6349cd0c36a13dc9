package io.berth.hub.distribution;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.berth.common.Digest;
import io.berth.common.DigestAlgorithm;
import io.berth.common.InvalidDigestException;
import io.berth.hub.HubProperties;
import io.berth.hub.metadata.UploadSessionEntity;
import io.berth.hub.metadata.UploadSessions;
import io.berth.hub.storage.BlobStore;

/**
 * Blob uploads: sessions that receive bytes in one go, in chunks or as a stream, and end in a verified blob.
 *
 * <p>The bytes go straight to the blob store's upload area while a SHA-256 digest is computed on the way; that
 * running state is kept in memory per session. When it is missing or does not cover the file (after a restart, or
 * when another replica received the previous chunk) it is recomputed from the partial file, so an upload can always
 * continue. No transaction is open while a body streams.
 *
 * <p>Each session belongs to the account that opened it, and {@link UploadQuota} keeps what one account has in flight
 * within its caps; a body that would take the disk below its reserve is refused before it starts, or stopped while it
 * streams, and the chunk rolled back.
 */
@Service
class UploadService {

    private static final Pattern UPLOAD_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final int MAX_CACHED_HASH_STATES = 4096;

    private final RepositoryService repositories;
    private final BlobService blobs;
    private final UploadSessions sessions;
    private final BlobStore store;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private final RegistryMetrics metrics;
    private final UploadQuota quota;
    private final Duration idleExpiry;
    private final UploadLocks locks = new UploadLocks();
    private final Map<String, HashState> hashStates = new ConcurrentHashMap<>();

    UploadService(RepositoryService repositories, BlobService blobs, UploadSessions sessions, BlobStore store,
            PlatformTransactionManager transactions, Clock clock, RegistryMetrics metrics, UploadQuota quota,
            HubProperties properties) {
        this.repositories = repositories;
        this.blobs = blobs;
        this.sessions = sessions;
        this.store = store;
        this.transaction = new TransactionTemplate(transactions);
        this.clock = clock;
        this.metrics = metrics;
        this.quota = quota;
        this.idleExpiry = properties.gc().uploadExpiry();
    }

    /** Opens an upload for {@code account} (null only for uploads nobody owns, which no cap counts). */
    UploadStatus start(RepositoryName name, String account) throws IOException {
        quota.requireRoom();
        requireSessionAllowed(account);
        long repositoryId = repositories.findOrCreate(name);
        String uploadId = UUID.randomUUID().toString();
        store.createUpload(uploadId);
        transaction.executeWithoutResult(status ->
                sessions.save(new UploadSessionEntity(uploadId, repositoryId, account, clock.instant())));
        return new UploadStatus(uploadId, 0);
    }

    /**
     * At its cap, an account's own idle uploads go first (as the sweep would take them soon anyway), so that a client
     * that abandoned uploads is not locked out until the next sweep.
     */
    private void requireSessionAllowed(String account) throws IOException {
        List<String> open = quota.openUploads(account);
        if (!quota.atSessionCap(open)) {
            return;
        }
        Instant idleSince = clock.instant().minus(idleExpiry);
        for (String uploadId : open) {
            // One a request is streaming into is not idle; never wait for it.
            Optional<UploadLocks.Held> held = locks.tryLock(uploadId);
            if (held.isEmpty()) {
                continue;
            }
            try (UploadLocks.Held lock = held.get()) {
                Optional<Instant> lastWrite = store.uploadLastModified(uploadId);
                if (lastWrite.isEmpty() || lastWrite.get().isBefore(idleSince)) {
                    discard(uploadId);
                }
            }
        }
        if (quota.atSessionCap(quota.openUploads(account))) {
            throw quota.tooManySessions(account, idleExpiry);
        }
    }

    UploadStatus status(RepositoryName name, String uploadId) throws IOException {
        requireSession(name, uploadId);
        return new UploadStatus(uploadId, requireSize(name, uploadId));
    }

    /**
     * Appends a chunk ({@code contentRange} given) or a stream ({@code contentRange} null) to an upload.
     */
    UploadStatus append(RepositoryName name, String uploadId, String contentRange, Long contentLength, InputStream body)
            throws IOException {
        try (UploadLocks.Held held = locks.lock(uploadId)) {
            UploadSessionEntity session = requireSession(name, uploadId);
            long size = requireSize(name, uploadId);
            Long expected = contentLength;
            if (contentRange != null && !contentRange.isBlank()) {
                ContentRange range = parseRange(name, uploadId, size, contentRange);
                if (range.start() != size) {
                    throw rangeNotSatisfiable(name, uploadId, size,
                            "chunk starts at " + range.start() + " but the upload holds " + size + " bytes");
                }
                if (contentLength != null && contentLength != range.length()) {
                    throw new RegistryException(RegistryError.SIZE_INVALID, "Content-Range covers " + range.length()
                            + " bytes but Content-Length is " + contentLength, null);
                }
                expected = range.length();
            }
            InputStream admitted = quota.admit(session.getAccount(), size, expected, body);
            long written = appendVerified(uploadId, size, expected, admitted);
            return new UploadStatus(uploadId, size + written);
        }
    }

    /**
     * Finishes an upload with its last bytes (possibly none) and verifies it against {@code digestParameter}.
     */
    Digest complete(RepositoryName name, String uploadId, String digestParameter, Long contentLength, InputStream body)
            throws IOException {
        Digest digest = parseDigestParameter(digestParameter);
        try (UploadLocks.Held held = locks.lock(uploadId)) {
            UploadSessionEntity session = requireSession(name, uploadId);
            long size = requireSize(name, uploadId);
            if (contentLength == null || contentLength > 0) {
                // Finishing without a body takes no space: a push that reached its last request completes even at the
                // reserve.
                body = quota.admit(session.getAccount(), size, contentLength, body);
            }
            size += appendVerified(uploadId, size, contentLength, body);
            Digest actual = digestOf(uploadId, size, digest.algorithm());
            if (!actual.equals(digest)) {
                discard(uploadId);
                throw new RegistryException(RegistryError.DIGEST_INVALID,
                        "upload has digest " + actual + ", not " + digest, Map.of("Digest", digest.toString()));
            }
            blobs.commitUpload(session.getRepositoryId(), uploadId, digest, size);
            hashStates.remove(uploadId);
            return digest;
        }
    }

    /** A whole blob in one request ({@code POST ...?digest=}). */
    Digest monolithic(RepositoryName name, String account, String digestParameter, Long contentLength, InputStream body)
            throws IOException {
        parseDigestParameter(digestParameter);
        UploadStatus upload = start(name, account);
        try {
            return complete(name, upload.uploadId(), digestParameter, contentLength, body);
        } catch (IOException | RuntimeException e) {
            discard(upload.uploadId());
            throw e;
        }
    }

    void cancel(RepositoryName name, String uploadId) throws IOException {
        try (UploadLocks.Held held = locks.lock(uploadId)) {
            requireSession(name, uploadId);
            discard(uploadId);
        }
    }

    /**
     * Streams the body into the upload, digesting as it goes. When the body turns out shorter or longer than
     * promised, or the connection breaks, the upload is cut back to where it was: a chunk counts whole or not at all.
     */
    private long appendVerified(String uploadId, long size, Long expected, InputStream body) throws IOException {
        HashState state = hashState(uploadId, size);
        MessageDigest before = state.snapshot();
        CountingDigestStream in = new CountingDigestStream(body, state.digest);
        long written;
        try {
            written = store.appendToUpload(uploadId, in);
        } catch (IOException | RuntimeException e) {
            rollBack(uploadId, size, state, before);
            throw e;
        }
        if (expected != null && written != expected) {
            rollBack(uploadId, size, state, before);
            throw new RegistryException(RegistryError.SIZE_INVALID,
                    "expected " + expected + " bytes but received " + written, null);
        }
        if (in.count != written) {
            // The store wrote something other than what was digested: never trust this state.
            hashStates.remove(uploadId);
        } else {
            state.offset = size + written;
        }
        metrics.bytesReceived(written);
        return written;
    }

    private void rollBack(String uploadId, long size, HashState state, MessageDigest before) throws IOException {
        store.truncateUpload(uploadId, size);
        state.restore(before, size);
    }

    private Digest digestOf(String uploadId, long size, DigestAlgorithm algorithm) throws IOException {
        if (algorithm == DigestAlgorithm.SHA256) {
            return Digest.fromBytes(algorithm, hashState(uploadId, size).snapshot().digest());
        }
        // Only SHA-256 is computed while streaming; other algorithms are rare and read the file once at the end.
        return Digest.fromBytes(algorithm, digestFile(uploadId, algorithm.newMessageDigest()).digest());
    }

    private HashState hashState(String uploadId, long size) throws IOException {
        HashState state = hashStates.get(uploadId);
        if (state != null && state.offset == size) {
            return state;
        }
        if (hashStates.size() >= MAX_CACHED_HASH_STATES) {
            hashStates.clear(); // abandoned uploads: their states are recomputed if they ever continue
        }
        HashState fresh = new HashState(digestFile(uploadId, DigestAlgorithm.SHA256.newMessageDigest()), size);
        hashStates.put(uploadId, fresh);
        return fresh;
    }

    private MessageDigest digestFile(String uploadId, MessageDigest digest) throws IOException {
        try (InputStream in = store.openUpload(uploadId)) {
            byte[] buffer = new byte[256 * 1024];
            int n;
            while ((n = in.read(buffer)) != -1) {
                digest.update(buffer, 0, n);
            }
        }
        return digest;
    }

    private void discard(String uploadId) throws IOException {
        hashStates.remove(uploadId);
        transaction.executeWithoutResult(status -> sessions.end(uploadId));
        store.deleteUpload(uploadId);
    }

    private UploadSessionEntity requireSession(RepositoryName name, String uploadId) {
        if (uploadId == null || !UPLOAD_ID.matcher(uploadId).matches()) {
            throw uploadUnknown(uploadId);
        }
        Optional<Long> repositoryId = repositories.find(name);
        Optional<UploadSessionEntity> session = sessions.findById(uploadId);
        if (repositoryId.isEmpty() || session.isEmpty() || session.get().getRepositoryId() != repositoryId.get()) {
            throw uploadUnknown(uploadId);
        }
        return session.get();
    }

    private long requireSize(RepositoryName name, String uploadId) throws IOException {
        Optional<Long> size = store.uploadSize(uploadId);
        if (size.isEmpty()) {
            discard(uploadId);
            throw uploadUnknown(uploadId);
        }
        return size.get();
    }

    private ContentRange parseRange(RepositoryName name, String uploadId, long size, String header) {
        try {
            return ContentRange.parse(header);
        } catch (IllegalArgumentException e) {
            throw rangeNotSatisfiable(name, uploadId, size, e.getMessage());
        }
    }

    private static RegistryException rangeNotSatisfiable(RepositoryName name, String uploadId, long size, String message) {
        return new UploadRangeNotSatisfiable(message, name, new UploadStatus(uploadId, size));
    }

    private static RegistryException uploadUnknown(String uploadId) {
        return new RegistryException(RegistryError.BLOB_UPLOAD_UNKNOWN, RegistryError.BLOB_UPLOAD_UNKNOWN.message(),
                uploadId == null ? null : Map.of("uuid", uploadId));
    }

    static Digest parseDigestParameter(String value) {
        if (value == null || value.isBlank()) {
            throw new RegistryException(RegistryError.DIGEST_INVALID, "the digest query parameter is required", null);
        }
        try {
            return Digest.parse(value);
        } catch (InvalidDigestException e) {
            throw new RegistryException(RegistryError.DIGEST_INVALID, "invalid digest: " + value, Map.of("Digest", value));
        }
    }

    /** A running SHA-256 over the first {@code offset} bytes of an upload. */
    private static final class HashState {
        private MessageDigest digest;
        private volatile long offset;

        HashState(MessageDigest digest, long offset) {
            this.digest = digest;
            this.offset = offset;
        }

        MessageDigest snapshot() {
            try {
                return (MessageDigest) digest.clone();
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException("SHA-256 digest cannot be cloned", e);
            }
        }

        void restore(MessageDigest saved, long savedOffset) {
            this.digest = saved;
            this.offset = savedOffset;
        }
    }

    /** Digests and counts what passes through, without buffering. */
    private static final class CountingDigestStream extends FilterInputStream {
        private final MessageDigest digest;
        private long count;

        CountingDigestStream(InputStream in, MessageDigest digest) {
            super(in);
            this.digest = digest;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                digest.update((byte) b);
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                digest.update(buffer, offset, n);
                count += n;
            }
            return n;
        }
    }
}
