package io.berth.hub.gc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.berth.common.Digest;
import io.berth.hub.HubProperties;
import io.berth.hub.audit.AuditAction;
import io.berth.hub.audit.AuditLog;
import io.berth.hub.metadata.BlobEntity;
import io.berth.hub.metadata.BlobLinkEntity;
import io.berth.hub.metadata.BlobLinks;
import io.berth.hub.metadata.Blobs;
import io.berth.hub.metadata.GcRunEntity;
import io.berth.hub.metadata.GcRuns;
import io.berth.hub.metadata.UploadSessionEntity;
import io.berth.hub.metadata.UploadSessions;
import io.berth.hub.storage.BlobStore;

/**
 * Online mark and sweep of blobs, while pushes go on.
 *
 * <p>The mark is kept in the database: a manifest's references (config, layers, index children) are rows, and a
 * repository's link to a blob survives while any manifest of that repository references the blob or while the
 * link is younger than the grace period. Sweeping then goes in three steps, each row re-checked under its lock so a
 * concurrent push wins every race:
 * <ol>
 * <li>links older than the cutoff that no manifest in their repository references are removed;</li>
 * <li>blobs no repository links any more, older than the cutoff, are removed with their bytes, under the blob
 * row's lock that an upload committing the same digest also takes;</li>
 * <li>upload sessions idle for longer than the upload expiry are removed, and files in the store that no metadata
 * names (left by a crash) once they are older than the cutoff.</li>
 * </ol>
 * A blob uploaded while a collection runs is younger than its cutoff, and so is never collected by it.
 *
 * <p>Crash consistency: a blob goes in two transactions. The first marks its row {@code deleting} and commits; only
 * the second removes the bytes, then the row. A crash at any point therefore leaves either the blob as it was, or a
 * marked row whose bytes may be gone (which no repository links, which a mount refuses and a commit of the digest
 * takes back, storing the bytes again), or bytes without a row (an orphan file) — garbage a later run removes, never a
 * row that claims bytes which are gone. Every collection first finishes the marked rows an interrupted one left. An
 * orphan file goes the same way: a marked row is inserted for it first.
 */
@Service
public class GarbageCollector {

    private static final Logger log = LoggerFactory.getLogger(GarbageCollector.class);
    private static final int BATCH = 500;

    private final Blobs blobs;
    private final BlobLinks links;
    private final UploadSessions sessions;
    private final GcRuns runs;
    private final BlobStore store;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private final HubProperties.Gc settings;
    private final AuditLog audit;
    private final ReentrantLock running = new ReentrantLock();

    GarbageCollector(Blobs blobs, BlobLinks links, UploadSessions sessions, GcRuns runs, BlobStore store,
            PlatformTransactionManager transactions, Clock clock, HubProperties properties, AuditLog audit) {
        this.audit = audit;
        this.blobs = blobs;
        this.links = links;
        this.sessions = sessions;
        this.runs = runs;
        this.store = store;
        this.transaction = new TransactionTemplate(transactions);
        this.clock = clock;
        this.settings = properties.gc();
    }

    /**
     * A collection an administrator asked for (the REST API, the admin page): run with the configured grace period and
     * recorded in the audit log with what it freed, or with why it failed.
     */
    public GcResult collectFor(String administrator, String clientAddress) throws IOException {
        try {
            GcResult result = collect("admin");
            audit.record(administrator, clientAddress, AuditAction.GC_RUN, "registry", true, "removed "
                    + result.blobsRemoved() + " blobs (" + result.bytesFreed() + " bytes), " + result.linksRemoved()
                    + " links, " + result.uploadsRemoved() + " uploads");
            return result;
        } catch (IOException | RuntimeException e) {
            audit.record(administrator, clientAddress, AuditAction.GC_RUN, "registry", false, e.toString());
            throw e;
        }
    }

    /** Collects with the configured grace period. */
    public GcResult collect(String trigger) throws IOException {
        return collect(trigger, clock.instant().minus(settings.gracePeriod()));
    }

    /**
     * Collects everything unreferenced that is older than {@code cutoff}. One collection runs at a time; a second
     * caller waits for the first and then runs its own.
     */
    public GcResult collect(String trigger, Instant cutoff) throws IOException {
        return collect(trigger, cutoff, clock.instant().minus(settings.uploadExpiry()));
    }

    /**
     * Collects blobs and links older than {@code cutoff}, and uploads idle since before {@code uploadCutoff}.
     */
    public GcResult collect(String trigger, Instant cutoff, Instant uploadCutoff) throws IOException {
        running.lock();
        try {
            Instant started = clock.instant();
            long linksRemoved = sweepLinks(cutoff);
            SweptBlobs blobsSwept = sweepBlobs(cutoff);
            long uploadsRemoved = sweepUploads(uploadCutoff);
            long orphans = sweepOrphanFiles(cutoff);
            Instant finished = clock.instant();
            GcResult result = new GcResult(started, finished, trigger, linksRemoved, blobsSwept.count(),
                    blobsSwept.bytes(), uploadsRemoved, orphans);
            runs.save(new GcRunEntity(started, finished, trigger, linksRemoved, blobsSwept.count(), blobsSwept.bytes(),
                    uploadsRemoved, orphans));
            log.info("garbage collection ({}): {} links, {} blobs ({} bytes), {} uploads, {} orphan files removed in {} ms",
                    trigger, linksRemoved, blobsSwept.count(), blobsSwept.bytes(), uploadsRemoved, orphans,
                    finished.toEpochMilli() - started.toEpochMilli());
            return result;
        } finally {
            running.unlock();
        }
    }

    /**
     * Removes upload sessions idle for longer than {@code berth.hub.gc.upload-expiry}, between collections: an abandoned
     * upload holds disk space and counts towards its account's caps until then.
     *
     * @return how many were removed
     */
    public long removeIdleUploads() throws IOException {
        return sweepUploads(clock.instant().minus(settings.uploadExpiry()));
    }

    /** The last collection, if any ran. */
    public Optional<GcRunEntity> lastRun() {
        return runs.findFirstByOrderByIdDesc();
    }

    /** What the last collection did, if any ran. */
    public Optional<GcResult> lastResult() {
        return lastRun().map(run -> new GcResult(run.getStartedAt(), run.getFinishedAt(), run.getTrigger(),
                run.getLinksRemoved(), run.getBlobsRemoved(), run.getBytesFreed(), run.getUploadsRemoved(),
                run.getOrphansRemoved()));
    }

    /** Whether a collection runs at this moment (another caller of {@link #collect} would wait for it). */
    public boolean running() {
        return running.isLocked();
    }

    private long sweepLinks(Instant cutoff) {
        long removed = 0;
        Set<BlobLinkEntity.Key> kept = new HashSet<>();
        while (true) {
            List<BlobLinkEntity.Key> candidates = new ArrayList<>(links.findUnreferencedBefore(cutoff, Limit.of(BATCH + kept.size())));
            candidates.removeAll(kept);
            if (candidates.isEmpty()) {
                return removed;
            }
            for (BlobLinkEntity.Key key : candidates) {
                boolean deleted = Boolean.TRUE.equals(transaction.execute(status -> {
                    Optional<BlobLinkEntity> link = links.lock(key);
                    if (link.isEmpty() || !link.get().getLastUsedAt().isBefore(cutoff)
                            || links.isReferenced(key.repositoryId(), key.digest())) {
                        return false;
                    }
                    links.delete(link.get());
                    return true;
                }));
                if (deleted) {
                    removed++;
                } else {
                    kept.add(key);
                }
            }
        }
    }

    private record SweptBlobs(long count, long bytes) {
    }

    private SweptBlobs sweepBlobs(Instant cutoff) {
        long removed = 0;
        long bytes = 0;
        // What an interrupted collection marked goes first, whatever its age: nothing links it any more.
        for (String digest : blobs.findDeleting(Limit.unlimited())) {
            Long size = remove(digest);
            if (size != null) {
                removed++;
                bytes += size;
            }
        }
        Set<String> kept = new HashSet<>();
        while (true) {
            List<String> candidates = new ArrayList<>(blobs.findUnlinkedBefore(cutoff, Limit.of(BATCH + kept.size())));
            candidates.removeAll(kept);
            if (candidates.isEmpty()) {
                return new SweptBlobs(removed, bytes);
            }
            for (String digest : candidates) {
                Long size = mark(digest) ? remove(digest) : null;
                if (size != null) {
                    removed++;
                    bytes += size;
                } else {
                    kept.add(digest);
                }
            }
        }
    }

    /** The first step, committed on its own: the row says the blob is going before any of its bytes do. */
    private boolean mark(String digest) {
        return Boolean.TRUE.equals(transaction.execute(status -> {
            Optional<BlobEntity> blob = blobs.lockByDigest(digest);
            if (blob.isEmpty() || links.existsByKeyDigest(digest)) {
                return false;
            }
            blob.get().markDeleting();
            return true;
        }));
    }

    /**
     * The second step: the bytes, then the row, under the row's lock. A commit of the same digest that took the row
     * back in between (it is no longer marked) keeps it. Returns the blob's size, or null when it stays.
     */
    private Long remove(String digest) {
        return transaction.execute(status -> {
            Optional<BlobEntity> blob = blobs.lockByDigest(digest);
            if (blob.isEmpty() || !blob.get().isDeleting()) {
                return null;
            }
            try {
                store.delete(Digest.parse(digest));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            blobs.delete(blob.get());
            return blob.get().getSize();
        });
    }

    private long sweepUploads(Instant expiry) throws IOException {
        long removed = 0;
        for (UploadSessionEntity session : sessions.findByCreatedAtBefore(expiry)) {
            // Started long ago; abandoned only if no chunk arrived lately either.
            Optional<Instant> lastWrite = store.uploadLastModified(session.getId());
            if (lastWrite.isEmpty() || lastWrite.get().isBefore(expiry)) {
                transaction.executeWithoutResult(status -> sessions.end(session.getId()));
                store.deleteUpload(session.getId());
                removed++;
            }
        }
        List<String> stray = new ArrayList<>();
        store.forEachUpload(upload -> {
            if (upload.lastModified().isBefore(expiry)) {
                stray.add(upload.uploadId());
            }
        });
        for (String uploadId : stray) {
            // Upload areas without a session: a crash between creating the area and recording the session.
            if (sessions.findById(uploadId).isEmpty()) {
                store.deleteUpload(uploadId);
                removed++;
            }
        }
        return removed;
    }

    private long sweepOrphanFiles(Instant cutoff) throws IOException {
        List<Digest> candidates = new ArrayList<>();
        store.forEachBlob(blob -> {
            if (blob.lastModified().isBefore(cutoff)) {
                candidates.add(blob.digest());
            }
        });
        long removed = 0;
        for (Digest digest : candidates) {
            if (markOrphan(digest, cutoff) && remove(digest.toString()) != null) {
                removed++;
            }
        }
        return removed;
    }

    /**
     * Gives a file no row names a marked row of its own, so that it goes the way every collected blob goes: a commit of
     * the same digest in between takes it back (or, inserting its own row first, makes this insert fail).
     */
    private boolean markOrphan(Digest digest, Instant cutoff) {
        try {
            return Boolean.TRUE.equals(transaction.execute(status -> {
                if (blobs.lockByDigest(digest.toString()).isPresent()) {
                    return false;
                }
                try {
                    // Re-read: a commit in progress has just refreshed the file's time.
                    Optional<BlobStore.StoredBlob> file = store.stat(digest);
                    if (file.isEmpty() || !file.get().lastModified().isBefore(cutoff)) {
                        return false;
                    }
                    blobs.saveAndFlush(BlobEntity.orphan(digest.toString(), file.get().size(), file.get().lastModified()));
                    return true;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }));
        } catch (DataIntegrityViolationException e) {
            return false; // an upload of this digest recorded it a moment ago
        }
    }
}
