package io.berth.common.oci;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.berth.common.Digest;
import io.berth.common.InvalidDigestException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Parses and validates manifests and indexes (OCI image spec 1.1 and Docker schema 2): those clients push to the Hub
 * and those the Engine pulls. Both keep the bytes untouched; this only reads what they must check and remember.
 * <p>
 * It reads with Jackson's defaults ({@link JsonMapper#shared()}), not with the application's configurable mapper, on
 * purpose: whether a manifest is valid JSON must not change with {@code spring.jackson.*} settings (comments, trailing
 * commas, single quotes), since the registry hands the same bytes to clients that parse them strictly.
 */
public final class ManifestParser {

    private final JsonMapper json = JsonMapper.shared();

    /**
     * @param contentType the {@code Content-Type} the client sent, may be null
     * @throws ManifestInvalidException when the document is not a manifest the registry accepts
     */
    public ParsedManifest parse(byte[] content, String contentType) {
        JsonNode root;
        try {
            root = json.readTree(content);
        } catch (JacksonException e) {
            throw new ManifestInvalidException("manifest is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new ManifestInvalidException("manifest must be a JSON object");
        }
        JsonNode schemaVersion = root.get("schemaVersion");
        if (schemaVersion == null || !schemaVersion.isIntegralNumber()) {
            throw new ManifestInvalidException("schemaVersion is missing");
        }
        if (schemaVersion.longValue() != 2) {
            throw new ManifestInvalidException("schemaVersion " + schemaVersion.longValue()
                    + " is not supported; push a schema 2 or OCI manifest");
        }
        String mediaType = mediaType(root, MediaTypes.withoutParameters(contentType));
        if (MediaTypes.INDEXES.contains(mediaType)) {
            return parseIndex(root, mediaType);
        }
        if (MediaTypes.IMAGE_MANIFESTS.contains(mediaType)) {
            return parseImageManifest(root, mediaType);
        }
        throw new ManifestInvalidException("unsupported manifest media type " + mediaType);
    }

    private static String mediaType(JsonNode root, String contentType) {
        String declared = optionalString(root, "mediaType");
        if (declared != null && contentType != null && isManifestType(contentType) && !declared.equals(contentType)) {
            throw new ManifestInvalidException("mediaType " + declared + " does not match Content-Type " + contentType);
        }
        if (declared != null) {
            return declared;
        }
        if (contentType != null && isManifestType(contentType)) {
            return contentType;
        }
        // OCI documents may omit mediaType; their shape tells which they are.
        if (root.has("manifests")) {
            return MediaTypes.OCI_INDEX;
        }
        if (root.has("config")) {
            return MediaTypes.OCI_MANIFEST;
        }
        throw new ManifestInvalidException("manifest has no mediaType and is neither an image manifest nor an index");
    }

    private static boolean isManifestType(String type) {
        return MediaTypes.INDEXES.contains(type) || MediaTypes.IMAGE_MANIFESTS.contains(type)
                || type.equals(MediaTypes.DOCKER_SCHEMA1) || type.equals(MediaTypes.DOCKER_SCHEMA1_SIGNED)
                || type.startsWith("application/vnd.oci.") || type.startsWith("application/vnd.docker.");
    }

    private ParsedManifest parseImageManifest(JsonNode root, String mediaType) {
        JsonNode configNode = root.get("config");
        if (configNode == null) {
            throw new ManifestInvalidException("image manifest has no config");
        }
        Descriptor config = descriptor(configNode, "config");
        List<Descriptor> layers = descriptors(root, "layers", mediaType.equals(MediaTypes.DOCKER_MANIFEST));
        Descriptor subject = root.has("subject") ? descriptor(root.get("subject"), "subject") : null;
        String artifactType = optionalString(root, "artifactType");
        if (artifactType == null) {
            artifactType = config.mediaType();
        }
        return new ParsedManifest(mediaType, artifactType, config, layers, List.of(), subject, annotations(root));
    }

    private ParsedManifest parseIndex(JsonNode root, String mediaType) {
        List<Descriptor> manifests = descriptors(root, "manifests", true);
        Descriptor subject = root.has("subject") ? descriptor(root.get("subject"), "subject") : null;
        return new ParsedManifest(mediaType, optionalString(root, "artifactType"), null, List.of(), manifests, subject,
                annotations(root));
    }

    private List<Descriptor> descriptors(JsonNode root, String field, boolean required) {
        JsonNode array = root.get(field);
        if (array == null || array.isNull()) {
            if (required) {
                throw new ManifestInvalidException(field + " is missing");
            }
            return List.of();
        }
        if (!array.isArray()) {
            throw new ManifestInvalidException(field + " must be an array");
        }
        List<Descriptor> result = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            result.add(descriptor(array.get(i), field + "[" + i + "]"));
        }
        return result;
    }

    private static Descriptor descriptor(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw new ManifestInvalidException(where + " must be a descriptor object");
        }
        String mediaType = optionalString(node, "mediaType");
        if (mediaType == null) {
            throw new ManifestInvalidException(where + ".mediaType is missing");
        }
        String digestText = optionalString(node, "digest");
        if (digestText == null) {
            throw new ManifestInvalidException(where + ".digest is missing");
        }
        Digest digest;
        try {
            digest = Digest.parse(digestText);
        } catch (InvalidDigestException e) {
            throw new ManifestInvalidException(where + ".digest is not a valid digest: " + digestText);
        }
        JsonNode sizeNode = node.get("size");
        if (sizeNode == null || !sizeNode.isIntegralNumber() || !sizeNode.canConvertToLong() || sizeNode.longValue() < 0) {
            throw new ManifestInvalidException(where + ".size must be a non-negative integer");
        }
        List<String> urls = new ArrayList<>();
        JsonNode urlsNode = node.get("urls");
        if (urlsNode != null && urlsNode.isArray()) {
            urlsNode.values().forEach(u -> urls.add(u.asString()));
        }
        Platform platform = null;
        JsonNode platformNode = node.get("platform");
        if (platformNode != null && platformNode.isObject()) {
            platform = new Platform(optionalString(platformNode, "architecture"), optionalString(platformNode, "os"),
                    optionalString(platformNode, "variant"));
        }
        return new Descriptor(mediaType, digest, sizeNode.longValue(), optionalString(node, "artifactType"), urls,
                annotations(node), platform);
    }

    private static Map<String, String> annotations(JsonNode node) {
        JsonNode annotations = node.get("annotations");
        if (annotations == null || !annotations.isObject()) {
            return Map.of();
        }
        Map<String, String> result = new LinkedHashMap<>();
        annotations.properties().forEach(e -> result.put(e.getKey(), e.getValue().asString()));
        return result;
    }

    private static String optionalString(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw new ManifestInvalidException(field + " must be a string");
        }
        return value.stringValue();
    }
}
