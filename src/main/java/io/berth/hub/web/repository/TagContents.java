package io.berth.hub.web.repository;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.berth.common.oci.Descriptor;
import io.berth.common.oci.ManifestInvalidException;
import io.berth.common.oci.ManifestParser;
import io.berth.common.oci.ParsedManifest;
import io.berth.hub.HubException;
import io.berth.hub.access.caller.Caller;
import io.berth.hub.metadata.ManifestEntity;
import io.berth.hub.metadata.Manifests;
import io.berth.hub.storage.BlobContent;
import io.berth.hub.storage.BlobStore;

/**
 * What a tag points at, opened up: the manifest, its image config and layers, the manifests of an index's platforms,
 * and the referrers of each (the manifests whose {@code subject} it is, as the registry's referrers API lists them).
 * The same access rule as everywhere: a repository the caller may not read does not exist.
 */
@Service
class TagContents {

    private static final Logger log = LoggerFactory.getLogger(TagContents.class);

    /** Image configs are a few KiB; a larger one is not read for a page. */
    private static final int MAX_CONFIG_BYTES = 1 << 20;
    /** Indexes of indexes are rare and shallow; this bounds the walk whatever a push contained. */
    private static final int MAX_DEPTH = 3;
    private static final Set<String> IMAGE_CONFIG_TYPES = Set.of("application/vnd.oci.image.config.v1+json",
            "application/vnd.docker.container.image.v1+json");

    private final RepositoryLookup lookup;
    private final Manifests manifests;
    private final BlobStore blobs;
    private final ManifestParser parser = new ManifestParser();
    private final JsonMapper json;

    TagContents(RepositoryLookup lookup, Manifests manifests, BlobStore blobs, JsonMapper json) {
        this.lookup = lookup;
        this.manifests = manifests;
        this.blobs = blobs;
        this.json = json;
    }

    /** @throws HubException 404 for a repository the caller may not see and for a tag it does not have */
    ManifestView of(Caller caller, String repository, String tag) {
        long repositoryId = lookup.visible(caller, repository).repository().getId();
        ManifestEntity manifest = manifests.findByTag(repositoryId, tag)
                .orElseThrow(() -> HubException.notFound("tag not found: " + repository + ":" + tag));
        return view(repositoryId, manifest, null, 0);
    }

    private ManifestView view(long repositoryId, ManifestEntity manifest, ImagePlatform platform, int depth) {
        List<ManifestView.Referrer> referrers = referrers(repositoryId, manifest.getDigest());
        // For an image without an artifactType the registry keeps its config's type, which says nothing new here.
        String artifactType = manifest.getArtifactType() == null
                || IMAGE_CONFIG_TYPES.contains(manifest.getArtifactType()) ? null : manifest.getArtifactType();
        ParsedManifest parsed;
        try {
            parsed = parser.parse(manifest.getContent(), manifest.getMediaType());
        } catch (ManifestInvalidException e) {
            // Stored before a stricter parser, say: what the row says is all there is to show.
            return new ManifestView(manifest.getDigest(), manifest.getMediaType(), artifactType,
                    manifest.getSize(), platform, true, false, null, List.of(), referrers, List.of());
        }
        if (parsed.isIndex()) {
            List<ManifestView> children = new ArrayList<>();
            for (Descriptor child : parsed.manifests()) {
                ImagePlatform childPlatform = platform(child);
                Optional<ManifestEntity> stored = depth < MAX_DEPTH
                        ? manifests.findByRepositoryIdAndDigest(repositoryId, child.digest().toString())
                        : Optional.empty();
                children.add(stored.map(entity -> view(repositoryId, entity, childPlatform, depth + 1))
                        .orElseGet(() -> new ManifestView(child.digest().toString(), child.mediaType(),
                                child.artifactType(), child.size(), childPlatform, false, false, null, List.of(),
                                List.of(), List.of())));
            }
            return new ManifestView(manifest.getDigest(), manifest.getMediaType(), artifactType,
                    manifest.getSize(), platform, true, true, null, List.of(), referrers, children);
        }
        Optional<JsonNode> config = readConfig(parsed.config());
        List<String> history = config.map(TagContents::layerHistory).orElse(List.of());
        List<ManifestView.Layer> layers = new ArrayList<>();
        for (int i = 0; i < parsed.layers().size(); i++) {
            Descriptor layer = parsed.layers().get(i);
            layers.add(new ManifestView.Layer(layer.digest().toString(), layer.mediaType(), layer.size(),
                    i < history.size() ? history.get(i) : null));
        }
        ManifestView.ImageConfigView configView = config.map(root -> configView(parsed.config(), root)).orElse(null);
        return new ManifestView(manifest.getDigest(), manifest.getMediaType(), artifactType,
                manifest.getSize(), platform, true, false, configView, layers, referrers, List.of());
    }

    private List<ManifestView.Referrer> referrers(long repositoryId, String digest) {
        return manifests.findByRepositoryIdAndSubjectDigestOrderByCreatedAtAscIdAsc(repositoryId, digest).stream()
                .map(referrer -> new ManifestView.Referrer(referrer.getDigest(), referrer.getArtifactType(),
                        referrer.getMediaType(), referrer.getSize(), referrer.getCreatedAt()))
                .toList();
    }

    /** The config of an image, when it is an image config the store has and it is JSON. */
    private Optional<JsonNode> readConfig(Descriptor config) {
        if (config == null || !IMAGE_CONFIG_TYPES.contains(config.mediaType()) || config.size() > MAX_CONFIG_BYTES) {
            return Optional.empty();
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
            return Optional.of(json.readTree(bytes));
        } catch (IOException | JacksonException e) {
            log.debug("could not read config {}", config.digest(), e);
            return Optional.empty();
        }
    }

    private static ManifestView.ImageConfigView configView(Descriptor descriptor, JsonNode root) {
        JsonNode run = root.path("config");
        Map<String, String> labels = new LinkedHashMap<>();
        JsonNode labelNode = run.path("Labels");
        if (labelNode.isObject()) {
            labelNode.properties().forEach(label -> labels.put(label.getKey(), text(label.getValue())));
        }
        String os = text(root.get("os"));
        String architecture = text(root.get("architecture"));
        ImagePlatform platform = os == null || architecture == null ? null
                : new ImagePlatform(os, architecture, text(root.get("variant")));
        return new ManifestView.ImageConfigView(descriptor.digest().toString(), descriptor.size(), platform,
                text(root.get("created")), strings(run.get("Entrypoint")), strings(run.get("Cmd")),
                strings(run.get("Env")), labels, text(run.get("WorkingDir")), text(run.get("User")));
    }

    /** The build step of each layer, in order: history entries marked {@code empty_layer} made none. */
    private static List<String> layerHistory(JsonNode root) {
        List<String> steps = new ArrayList<>();
        JsonNode history = root.path("history");
        if (history.isArray()) {
            for (JsonNode step : history) {
                if (!step.path("empty_layer").asBoolean(false)) {
                    steps.add(text(step.get("created_by")));
                }
            }
        }
        return steps;
    }

    private static ImagePlatform platform(Descriptor descriptor) {
        if (descriptor.platform() == null || descriptor.platform().os() == null
                || descriptor.platform().architecture() == null) {
            return null;
        }
        return new ImagePlatform(descriptor.platform().os(), descriptor.platform().architecture(),
                descriptor.platform().variant());
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        if (array != null && array.isArray()) {
            array.forEach(value -> values.add(text(value)));
        }
        return values;
    }

    private static String text(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        return value.isString() ? value.stringValue() : value.toString();
    }
}
