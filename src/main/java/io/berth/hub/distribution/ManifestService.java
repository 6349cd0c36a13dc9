package io.berth.hub.distribution;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.berth.common.Digest;
import io.berth.common.InvalidDigestException;
import io.berth.common.oci.ManifestInvalidException;
import io.berth.common.oci.ManifestParser;
import io.berth.common.oci.ParsedManifest;
import io.berth.hub.metadata.BlobLinkEntity;
import io.berth.hub.metadata.BlobLinks;
import io.berth.hub.metadata.ManifestEntity;
import io.berth.hub.metadata.ManifestReferenceEntity;
import io.berth.hub.metadata.ManifestReferences;
import io.berth.hub.metadata.Manifests;
import io.berth.hub.metadata.TagEntity;
import io.berth.hub.metadata.Tags;
import io.berth.hub.storage.BlobStore;
import io.berth.hub.storage.StorageReserve;

/**
 * Manifests and tags: validated on push, served by tag or digest, deleted by either.
 *
 * <p>A manifest is accepted only when everything it references is in the repository: its config and layers
 * (non-distributable layers excepted) and, for an index, its child manifests. The links it relies on are locked
 * and refreshed in the same transaction that records the references, so garbage collection cannot take a blob
 * out from under a manifest being pushed; and each blob's bytes must be in the store (a stat per blob), so that a
 * database that lost track of a removal (a power cut, a restored backup) cannot accept an image that would never pull.
 */
@Service
class ManifestService {

    private final RepositoryService repositories;
    private final Manifests manifests;
    private final ManifestReferences references;
    private final Tags tags;
    private final BlobLinks links;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private final RegistryMetrics metrics;
    private final PullCounter pulls;
    private final BlobStore blobStore;
    private final StorageReserve reserve;
    private final ManifestParser parser = new ManifestParser();

    ManifestService(RepositoryService repositories, Manifests manifests, ManifestReferences references, Tags tags,
            BlobLinks links, PlatformTransactionManager transactions, Clock clock, RegistryMetrics metrics,
            PullCounter pulls, BlobStore blobStore, StorageReserve reserve) {
        this.pulls = pulls;
        this.blobStore = blobStore;
        this.reserve = reserve;
        this.repositories = repositories;
        this.manifests = manifests;
        this.references = references;
        this.tags = tags;
        this.links = links;
        this.transaction = new TransactionTemplate(transactions);
        this.clock = clock;
        this.metrics = metrics;
    }

    /** The outcome of a push: the manifest's digest, the tags set and, if it has one, its subject. */
    record PushResult(Digest digest, List<String> tags, Optional<Digest> subject) {
    }

    /**
     * Stores a manifest under a tag, or under its digest with optional extra tags ({@code ?tag=} on the push).
     */
    PushResult put(RepositoryName name, String reference, List<String> extraTags, String contentType, byte[] content) {
        boolean byDigest = Digest.looksLikeDigest(reference);
        Digest digest;
        if (byDigest) {
            Digest claimed = parseDigestReference(reference);
            digest = Digest.of(claimed.algorithm(), content);
            if (!digest.equals(claimed)) {
                throw new RegistryException(RegistryError.DIGEST_INVALID,
                        "manifest has digest " + digest + ", not " + claimed, Map.of("Digest", claimed.toString()));
            }
        } else {
            TagName.require(reference);
            digest = Digest.sha256(content);
        }
        ParsedManifest parsed;
        try {
            parsed = parser.parse(content, contentType);
        } catch (ManifestInvalidException e) {
            throw new RegistryException(RegistryError.MANIFEST_INVALID, e.getMessage(), null);
        }
        List<String> tagged = new ArrayList<>();
        if (!byDigest) {
            tagged.add(reference);
        }
        for (String tag : extraTags) {
            if (!tagged.contains(TagName.require(tag))) {
                tagged.add(tag);
            }
        }
        reserve.requireRoomFor(content.length);
        long repositoryId = repositories.findOrCreate(name);
        try {
            store(repositoryId, digest, parsed, content, tagged);
        } catch (DataIntegrityViolationException e) {
            store(repositoryId, digest, parsed, content, tagged); // a concurrent push of the same manifest or tag won
        }
        metrics.push();
        return new PushResult(digest, List.copyOf(tagged), parsed.subjectDescriptor().map(d -> d.digest()));
    }

    private void store(long repositoryId, Digest digest, ParsedManifest parsed, byte[] content, List<String> tagNames) {
        transaction.executeWithoutResult(status -> {
            Instant now = clock.instant();
            requireReferencedContent(repositoryId, parsed, now);
            ManifestEntity manifest = manifests.findByRepositoryIdAndDigest(repositoryId, digest.toString())
                    .orElseGet(() -> insert(repositoryId, digest, parsed, content, now));
            for (String tag : tagNames) {
                tags.findById(new TagEntity.Key(repositoryId, tag)).ifPresentOrElse(
                        existing -> existing.pointAt(manifest.getId(), now),
                        () -> tags.saveAndFlush(new TagEntity(repositoryId, tag, manifest.getId(), now)));
            }
        });
    }

    private void requireReferencedContent(long repositoryId, ParsedManifest parsed, Instant now) {
        Set<String> required = new HashSet<>();
        parsed.requiredBlobs().forEach(d -> required.add(d.toString()));
        if (!required.isEmpty()) {
            List<BlobLinkEntity> present = links.lockAll(repositoryId, required);
            present.forEach(link -> link.touch(now));
            Set<String> missing = new HashSet<>(required);
            present.forEach(link -> missing.remove(link.getKey().digest()));
            // A link's blob is never collected while the link exists; the stat catches a database and a store that
            // disagree, whatever made them.
            present.stream().map(link -> link.getKey().digest()).filter(digest -> !stored(digest)).forEach(missing::add);
            if (!missing.isEmpty()) {
                String first = missing.iterator().next();
                throw new RegistryException(RegistryError.MANIFEST_BLOB_UNKNOWN,
                        "blob " + first + " is not in the repository; push it before the manifest", first);
            }
        }
        Set<String> children = new HashSet<>();
        parsed.referencedManifests().forEach(d -> children.add(d.toString()));
        if (!children.isEmpty()) {
            Set<String> missing = new HashSet<>(children);
            manifests.findExistingDigests(repositoryId, children).forEach(missing::remove);
            if (!missing.isEmpty()) {
                String first = missing.iterator().next();
                throw new RegistryException(RegistryError.MANIFEST_BLOB_UNKNOWN,
                        "manifest " + first + " is not in the repository; push it before the index", first);
            }
        }
    }

    private boolean stored(String digest) {
        try {
            return blobStore.stat(Digest.parse(digest)).isPresent();
        } catch (IOException e) {
            throw new StorageException(e);
        }
    }

    private ManifestEntity insert(long repositoryId, Digest digest, ParsedManifest parsed, byte[] content, Instant now) {
        String subject = parsed.subjectDescriptor().map(d -> d.digest().toString()).orElse(null);
        ManifestEntity manifest = manifests.saveAndFlush(new ManifestEntity(repositoryId, digest.toString(),
                parsed.mediaType(), parsed.artifactType(), content, subject, now));
        List<ManifestReferenceEntity> refs = new ArrayList<>();
        parsed.referencedBlobs().forEach(d ->
                refs.add(new ManifestReferenceEntity(manifest.getId(), d.toString(), ManifestReferenceEntity.BLOB)));
        parsed.referencedManifests().forEach(d ->
                refs.add(new ManifestReferenceEntity(manifest.getId(), d.toString(), ManifestReferenceEntity.MANIFEST)));
        references.saveAll(refs);
        return manifest;
    }

    /**
     * The manifest a tag or digest names; empty when there is none (or the reference is not even valid).
     *
     * @throws RegistryException TAG_INVALID for a tag longer than the 128 characters a tag may have
     */
    Optional<StoredManifest> get(RepositoryName name, String reference) {
        requireReference(reference);
        Optional<Long> repositoryId = repositories.find(name);
        if (repositoryId.isEmpty()) {
            return Optional.empty();
        }
        Optional<ManifestEntity> manifest;
        if (Digest.looksLikeDigest(reference)) {
            Digest digest;
            try {
                digest = Digest.parse(reference);
            } catch (InvalidDigestException e) {
                return Optional.empty();
            }
            manifest = manifests.findByRepositoryIdAndDigest(repositoryId.get(), digest.toString());
        } else if (TagName.isValid(reference)) {
            manifest = manifests.findByTag(repositoryId.get(), reference);
        } else {
            return Optional.empty();
        }
        return manifest.map(m -> new StoredManifest(Digest.parse(m.getDigest()), m.getMediaType(), m.getContent()));
    }

    void recordPull(RepositoryName name) {
        metrics.pull();
        repositories.find(name).ifPresent(pulls::count);
    }

    /**
     * Deletes a manifest by digest (with every tag pointing at it) or a tag alone.
     *
     * @return whether something was deleted
     */
    boolean delete(RepositoryName name, String reference) {
        requireReference(reference);
        Optional<Long> repositoryId = repositories.find(name);
        if (repositoryId.isEmpty()) {
            return false;
        }
        long id = repositoryId.get();
        if (Digest.looksLikeDigest(reference)) {
            Digest digest = parseDigestReference(reference);
            return Boolean.TRUE.equals(transaction.execute(status -> {
                Optional<ManifestEntity> manifest = manifests.findByRepositoryIdAndDigest(id, digest.toString());
                manifest.ifPresent(m -> {
                    tags.deleteByManifestId(m.getId());
                    manifests.delete(m);
                });
                return manifest.isPresent();
            }));
        }
        if (!TagName.isValid(reference)) {
            return false;
        }
        return Boolean.TRUE.equals(transaction.execute(status -> {
            Optional<TagEntity> tag = tags.findById(new TagEntity.Key(id, reference));
            tag.ifPresent(tags::delete);
            return tag.isPresent();
        }));
    }

    /**
     * A tag longer than any tag may be is a client's error (400). One with characters no tag has is merely unknown, as
     * the OCI conformance suite expects ({@code GET .../manifests/.INVALID_MANIFEST_NAME} is a 404). Checked before the
     * repository is looked up, so that the answer is the same whether it exists or not.
     */
    private static void requireReference(String reference) {
        if (!Digest.looksLikeDigest(reference) && reference.length() > TagName.MAX_LENGTH) {
            TagName.require(reference);
        }
    }

    private static Digest parseDigestReference(String reference) {
        try {
            return Digest.parse(reference);
        } catch (InvalidDigestException e) {
            throw new RegistryException(RegistryError.DIGEST_INVALID, "invalid digest: " + reference,
                    Map.of("Digest", reference));
        }
    }
}
