package io.berth.hub.distribution;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.berth.common.Digest;
import io.berth.hub.HubProperties;
import io.berth.hub.metadata.BlobEntity;
import io.berth.hub.metadata.BlobLinkEntity;
import io.berth.hub.metadata.BlobLinks;
import io.berth.hub.metadata.Blobs;
import io.berth.hub.metadata.UploadSessions;
import io.berth.hub.storage.BlobContent;
import io.berth.hub.storage.BlobStore;

/**
 * Blobs as repositories see them: a repository serves a blob only while it links it.
 *
 * <p>Committing a blob and collecting it both lock the blob's row first, so they never interleave: either the
 * collector removes the blob before the commit (which then stores the bytes again) or it finds the new link and
 * keeps it. A row the collector has marked for removal ({@code deleting}) is taken back by a commit, which stores the
 * bytes again if they went, and refused to a mount, which has no bytes to bring.
 */
@Service
class BlobService {

    private final RepositoryService repositories;
    private final Blobs blobs;
    private final BlobLinks links;
    private final UploadSessions sessions;
    private final BlobStore store;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private final Duration touchInterval;

    BlobService(RepositoryService repositories, Blobs blobs, BlobLinks links, UploadSessions sessions, BlobStore store,
            PlatformTransactionManager transactions, Clock clock, HubProperties properties) {
        this.repositories = repositories;
        this.blobs = blobs;
        this.links = links;
        this.sessions = sessions;
        this.store = store;
        this.transaction = new TransactionTemplate(transactions);
        this.clock = clock;
        // A client that finds a blob with HEAD skips uploading it and references it soon after; refreshing an old
        // link on such reads keeps the collector from taking the blob in between. Refresh rarely, reads are hot.
        this.touchInterval = properties.gc().gracePeriod().dividedBy(4);
    }

    /** The blob, if the repository links it and its bytes are present. */
    Optional<BlobContent> find(RepositoryName name, Digest digest) throws IOException {
        Optional<Long> repositoryId = repositories.find(name);
        if (repositoryId.isEmpty()) {
            return Optional.empty();
        }
        Optional<BlobLinkEntity> link = links.findById(new BlobLinkEntity.Key(repositoryId.get(), digest.toString()));
        if (link.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (link.get().getLastUsedAt().isBefore(now.minus(touchInterval))) {
            transaction.executeWithoutResult(status ->
                    links.lock(link.get().getKey()).ifPresent(locked -> locked.touch(now)));
        }
        return store.find(digest);
    }

    /**
     * Stores an upload's verified bytes as blob {@code digest}, links it into the repository and ends the upload
     * session, all in one transaction.
     */
    void commitUpload(long repositoryId, String uploadId, Digest digest, long size) {
        retryOnConflict(() -> transaction.executeWithoutResult(status -> {
            Instant now = clock.instant();
            Optional<BlobEntity> blob = blobs.lockByDigest(digest.toString());
            if (blob.isEmpty()) {
                blobs.saveAndFlush(new BlobEntity(digest.toString(), size, now));
            } else if (blob.get().isDeleting()) {
                // Marked by a collection that, while this lock is held, cannot remove the bytes; the store puts them
                // back below if it already had.
                blob.get().keep();
            }
            try {
                store.commitUpload(uploadId, digest);
            } catch (IOException e) {
                throw new StorageException(e);
            }
            link(repositoryId, digest, now);
            sessions.end(uploadId);
        }));
    }

    /**
     * Links a blob another repository has into this one (a cross-repository mount).
     *
     * @param source   the repository to mount from, or null to mount from whichever repository has the blob
     * @param readable which repositories the pusher may read: a blob is mounted only from one of those, so that a
     *                 mount tells nothing of a repository the pusher may not see
     * @return false when no readable source links the blob (the caller then starts an upload instead)
     */
    boolean mount(RepositoryName target, Digest digest, RepositoryName source, Predicate<String> readable) throws IOException {
        if (!isLinked(digest, source, readable) || store.find(digest).isEmpty()) {
            return false;
        }
        long targetId = repositories.findOrCreate(target);
        Boolean mounted = retryOnConflict(() -> transaction.execute(status -> {
            Optional<BlobEntity> blob = blobs.lockByDigest(digest.toString());
            if (blob.isEmpty() || blob.get().isDeleting()) {
                return false; // collected a moment ago, or being collected
            }
            link(targetId, digest, clock.instant());
            return true;
        }));
        return Boolean.TRUE.equals(mounted);
    }

    /** Whether {@code source} links the blob; without a source, whether any readable repository does. */
    private boolean isLinked(Digest digest, RepositoryName source, Predicate<String> readable) {
        if (source == null) {
            return links.repositoriesLinking(digest.toString()).stream().anyMatch(readable);
        }
        if (!readable.test(source.value())) {
            return false;
        }
        Optional<Long> sourceId = repositories.find(source);
        return sourceId.isPresent() && links.existsById(new BlobLinkEntity.Key(sourceId.get(), digest.toString()));
    }

    /** Unlinks a blob from a repository; its bytes go when no repository links them (at the next collection). */
    void delete(RepositoryName name, Digest digest) {
        long repositoryId = repositories.require(name, RegistryError.BLOB_UNKNOWN, RegistryError.BLOB_UNKNOWN.message(),
                digest.toString());
        boolean deleted = Boolean.TRUE.equals(transaction.execute(status -> {
            Optional<BlobLinkEntity> link = links.lock(new BlobLinkEntity.Key(repositoryId, digest.toString()));
            link.ifPresent(links::delete);
            return link.isPresent();
        }));
        if (!deleted) {
            throw new RegistryException(RegistryError.BLOB_UNKNOWN, RegistryError.BLOB_UNKNOWN.message(), digest.toString());
        }
    }

    private void link(long repositoryId, Digest digest, Instant now) {
        BlobLinkEntity.Key key = new BlobLinkEntity.Key(repositoryId, digest.toString());
        links.lock(key).ifPresentOrElse(existing -> existing.touch(now),
                () -> links.saveAndFlush(new BlobLinkEntity(repositoryId, digest.toString(), now)));
    }

    /** Two pushes of the same blob may both try to insert its row; the loser retries and finds it. */
    private static <T> T retryOnConflict(Supplier<T> work) {
        try {
            return work.get();
        } catch (DataIntegrityViolationException e) {
            return work.get();
        }
    }

    private static void retryOnConflict(Runnable work) {
        retryOnConflict(() -> {
            work.run();
            return null;
        });
    }
}
