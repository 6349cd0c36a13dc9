package io.berth.engine.image;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.berth.common.Digest;
import io.berth.common.InvalidDigestException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads the manifests and indexes a pull meets: OCI and Docker schema 2 both. */
final class Manifests {

    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    static final String ACCEPT = String.join(", ", OCI_INDEX, OCI_MANIFEST, DOCKER_LIST, DOCKER_MANIFEST);

    private static final Set<String> INDEXES = Set.of(OCI_INDEX, DOCKER_LIST);
    private static final Set<String> IMAGES = Set.of(OCI_MANIFEST, DOCKER_MANIFEST);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** An image manifest: its config blob and its layers, base first. */
    record ImageManifest(Descriptor config, List<Descriptor> layers) {
    }

    /** One entry of an index. */
    record IndexEntry(Descriptor descriptor, Platform platform) {
    }

    private Manifests() {
    }

    /** The media type from the body when it names one, else the Content-Type the registry sent. */
    static String mediaType(byte[] body, String contentType) {
        JsonNode json = parse(body);
        JsonNode declared = json.get("mediaType");
        if (declared != null && !declared.asString().isEmpty()) {
            return declared.asString();
        }
        if (json.has("manifests")) {
            return OCI_INDEX;
        }
        return contentType == null ? OCI_MANIFEST : contentType.split(";")[0].trim();
    }

    static boolean isIndex(String mediaType) {
        return INDEXES.contains(mediaType);
    }

    static ImageManifest image(byte[] body, String mediaType) {
        if (!IMAGES.contains(mediaType)) {
            throw new ImageTransferException(500, "unsupported manifest media type: " + mediaType);
        }
        JsonNode json = parse(body);
        Descriptor config = descriptor(json.get("config"));
        List<Descriptor> layers = new ArrayList<>();
        JsonNode array = json.get("layers");
        if (array == null || !array.isArray()) {
            throw new ImageTransferException(500, "invalid manifest: no layers array");
        }
        for (JsonNode layer : array) {
            layers.add(descriptor(layer));
        }
        return new ImageManifest(config, List.copyOf(layers));
    }

    static List<IndexEntry> index(byte[] body) {
        JsonNode manifests = parse(body).get("manifests");
        if (manifests == null || !manifests.isArray()) {
            throw new ImageTransferException(500, "invalid index: no manifests array");
        }
        List<IndexEntry> entries = new ArrayList<>();
        for (JsonNode entry : manifests) {
            JsonNode platform = entry.get("platform");
            Platform p = platform == null ? null : new Platform(platform.path("os").asString(""),
                    platform.path("architecture").asString(""),
                    platform.hasNonNull("variant") ? platform.get("variant").asString() : null);
            entries.add(new IndexEntry(descriptor(entry), p));
        }
        return entries;
    }

    /** The entry for {@code platform}, as dockerd picks it: the first that matches. */
    static Descriptor select(List<IndexEntry> entries, Platform platform, String reference) {
        return entries.stream()
                .filter(entry -> entry.platform() != null && platform.matches(entry.platform()))
                .map(IndexEntry::descriptor)
                .findFirst()
                .orElseThrow(() -> new ImageTransferException(404, "no matching manifest for " + platform
                        + " in the manifest list entries of " + reference));
    }

    static JsonNode parse(byte[] body) {
        try {
            JsonNode json = JSON.readTree(body);
            if (json == null || !json.isObject()) {
                throw new ImageTransferException(500, "invalid manifest: not a JSON object");
            }
            return json;
        } catch (JacksonException e) {
            throw new ImageTransferException(500, "invalid manifest: " + e.getOriginalMessage());
        }
    }

    private static Descriptor descriptor(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new ImageTransferException(500, "invalid manifest: missing descriptor");
        }
        try {
            return new Descriptor(node.path("mediaType").asString(""), Digest.parse(node.path("digest").asString("")),
                    node.path("size").asLong(-1));
        } catch (InvalidDigestException e) {
            throw new ImageTransferException(500, "invalid manifest: " + e.getMessage());
        }
    }
}
