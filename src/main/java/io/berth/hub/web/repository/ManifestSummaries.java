package io.berth.hub.web.repository;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.berth.common.oci.Descriptor;
import io.berth.common.oci.ManifestInvalidException;
import io.berth.common.oci.ManifestParser;
import io.berth.common.oci.ParsedManifest;
import io.berth.common.oci.Platform;
import io.berth.hub.metadata.ManifestEntity;
import io.berth.hub.metadata.Manifests;
import io.berth.hub.storage.BlobContent;
import io.berth.hub.storage.BlobStore;

/**
 * Sizes and platforms of manifests, for tag listings. An image's size is its manifest's bytes plus those its
 * descriptors give for the config and the layers; its platform is in its config blob. An index adds up its child
 * manifests, and its platforms are those its entries name.
 *
 * <p>A summary depends only on content named by digests, so a complete one stays true for good: summaries are kept
 * (a bounded number, the least recently used leaving first) and a listing of many tags reads few blobs. The manifests
 * a page of tags needs are read in one query per level of nesting (the tags' manifests, then the children of the
 * indexes among them), however many tags the page holds.
 */
@Component
class ManifestSummaries {

    private static final Logger log = LoggerFactory.getLogger(ManifestSummaries.class);

    /** Image configs are a few KiB; one larger than this is not read for a listing. */
    private static final int MAX_CONFIG_BYTES = 1 << 20;
    /** Indexes of indexes are rare and never deep; this bounds the walk whatever a push contained. */
    private static final int MAX_DEPTH = 4;
    private static final int CACHE_ENTRIES = 10_000;
    private static final Set<String> IMAGE_CONFIG_TYPES = Set.of("application/vnd.oci.image.config.v1+json",
            "application/vnd.docker.container.image.v1+json");
    /** What buildx writes as the platform of attestation manifests: not a platform anything runs on. */
    private static final String UNKNOWN = "unknown";

    private final Manifests manifests;
    private final BlobStore blobs;
    private final ManifestParser parser = new ManifestParser();
    private final JsonMapper json;
    private final Map<String, ManifestSummary> cache = Collections.synchronizedMap(
            new LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, ManifestSummary> eldest) {
                    return size() > CACHE_ENTRIES;
                }
            });

    ManifestSummaries(Manifests manifests, BlobStore blobs, JsonMapper json) {
        this.manifests = manifests;
        this.blobs = blobs;
        this.json = json;
    }

    /** The summaries of manifests stored in a repository under these digests, by digest. */
    Map<String, ManifestSummary> of(long repositoryId, Collection<String> digests) {
        Map<String, ManifestSummary> summaries = new HashMap<>();
        List<String> missing = new ArrayList<>();
        for (String digest : new LinkedHashSet<>(digests)) {
            ManifestSummary cached = cache.get(digest);
            if (cached != null) {
                summaries.put(digest, cached);
            } else {
                missing.add(digest);
            }
        }
        if (missing.isEmpty()) {
            return summaries;
        }
        Loaded loaded = load(repositoryId, missing);
        for (String digest : missing) {
            Loaded.Manifest manifest = loaded.get(digest);
            ManifestSummary summary = manifest == null ? new ManifestSummary(0, List.of(), false)
                    : summarise(loaded, manifest, 0);
            if (summary.complete()) {
                cache.put(digest, summary);
            }
            summaries.put(digest, summary);
        }
        return summaries;
    }

    /**
     * Reads the manifests and, level by level, the child manifests of the indexes among them: one query per level,
     * {@link #MAX_DEPTH} levels at most.
     */
    private Loaded load(long repositoryId, Collection<String> digests) {
        Loaded loaded = new Loaded();
        Set<String> level = new LinkedHashSet<>(digests);
        for (int depth = 0; depth <= MAX_DEPTH && !level.isEmpty(); depth++) {
            Set<String> next = new LinkedHashSet<>();
            for (ManifestEntity entity : manifests.findByRepositoryIdAndDigestIn(repositoryId, level)) {
                Loaded.Manifest manifest = loaded.add(entity, parser);
                if (manifest.parsed() != null && manifest.parsed().isIndex()) {
                    manifest.parsed().manifests().forEach(child -> next.add(child.digest().toString()));
                }
            }
            next.removeIf(loaded::has);
            level = next;
        }
        return loaded;
    }

    private ManifestSummary summarise(Loaded loaded, Loaded.Manifest manifest, int depth) {
        ParsedManifest parsed = manifest.parsed();
        if (parsed == null) {
            // Stored before a stricter parser, say: its bytes are all there is to count.
            return new ManifestSummary(manifest.size(), List.of(), true);
        }
        if (parsed.isIndex()) {
            return summariseIndex(loaded, manifest, depth);
        }
        long size = manifest.size();
        if (parsed.config() != null) {
            size += parsed.config().size();
        }
        for (Descriptor layer : parsed.layers()) {
            size += layer.size();
        }
        Optional<List<ImagePlatform>> platforms = configPlatform(parsed.config());
        return new ManifestSummary(size, platforms.orElse(List.of()), platforms.isPresent());
    }

    private ManifestSummary summariseIndex(Loaded loaded, Loaded.Manifest index, int depth) {
        long size = index.size();
        boolean complete = true;
        Set<ImagePlatform> platforms = new LinkedHashSet<>();
        for (Descriptor child : index.parsed().manifests()) {
            Loaded.Manifest stored = depth < MAX_DEPTH ? loaded.get(child.digest().toString()) : null;
            if (stored != null) {
                ManifestSummary summary = summarise(loaded, stored, depth + 1);
                size += summary.size();
                complete &= summary.complete();
            } else {
                size += child.size();
                complete = false;
            }
            platform(child.platform()).ifPresent(platforms::add);
        }
        return new ManifestSummary(size, new ArrayList<>(platforms), complete);
    }

    /** The manifests one listing read, parsed once each. */
    private static final class Loaded {

        /** @param parsed null when the stored bytes no longer parse */
        record Manifest(long size, ParsedManifest parsed) {
        }

        private final Map<String, Manifest> byDigest = new HashMap<>();

        Manifest add(ManifestEntity entity, ManifestParser parser) {
            ParsedManifest parsed;
            try {
                parsed = parser.parse(entity.getContent(), entity.getMediaType());
            } catch (ManifestInvalidException e) {
                parsed = null;
            }
            Manifest manifest = new Manifest(entity.getSize(), parsed);
            byDigest.put(entity.getDigest(), manifest);
            return manifest;
        }

        boolean has(String digest) {
            return byDigest.containsKey(digest);
        }

        Manifest get(String digest) {
            return byDigest.get(digest);
        }
    }

    /**
     * The platform in an image's config blob: none for artifacts, whose configs are not image configs. Empty when the
     * config could not be read, so that the summary is not kept.
     */
    private Optional<List<ImagePlatform>> configPlatform(Descriptor config) {
        if (config == null || !IMAGE_CONFIG_TYPES.contains(config.mediaType())) {
            return Optional.of(List.of());
        }
        if (config.size() > MAX_CONFIG_BYTES) {
            return Optional.of(List.of());
        }
        try {
            Optional<BlobContent> blob = blobs.find(config.digest());
            if (blob.isEmpty()) {
                return Optional.empty();
            }
            byte[] bytes;
            try (InputStream in = blob.get().open(0)) {
                bytes = in.readNBytes(MAX_CONFIG_BYTES);
            }
            return Optional.of(platform(bytes).map(List::of).orElse(List.of()));
        } catch (IOException e) {
            log.debug("could not read the platform of config {}", config.digest(), e);
            return Optional.empty();
        }
    }

    /** The platform an image config names; none when the config is not JSON, which no later read would change. */
    private Optional<ImagePlatform> platform(byte[] config) {
        JsonNode root;
        try {
            root = json.readTree(config);
        } catch (JacksonException e) {
            return Optional.empty();
        }
        return platform(new Platform(text(root, "architecture"), text(root, "os"), text(root, "variant")));
    }

    private static Optional<ImagePlatform> platform(Platform platform) {
        if (platform == null || platform.os() == null || platform.architecture() == null
                || UNKNOWN.equals(platform.os()) || UNKNOWN.equals(platform.architecture())) {
            return Optional.empty();
        }
        return Optional.of(new ImagePlatform(platform.os(), platform.architecture(), platform.variant()));
    }

    private static String text(JsonNode root, String field) {
        JsonNode value = root == null ? null : root.get(field);
        return value != null && value.isString() ? value.stringValue() : null;
    }
}
