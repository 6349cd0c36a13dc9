package io.berth.engine.image;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

import org.springframework.stereotype.Component;

import io.berth.common.Digest;
import io.berth.common.DigestAlgorithm;
import io.berth.engine.OnEngine;
import io.berth.engine.events.EngineEvents;
import io.berth.engine.graph.InvalidLayerException;
import io.berth.engine.graph.LayerUnpacker;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code docker import}: turns a tar archive (plain, gzip or zstd) into a one-layer image, as dockerd does. The layer
 * is stored gzip-compressed in the content store (what a push sends), unpacked into the graph driver by the same
 * unpacker pulls use (so no entry can write outside the layer), and described by a config carrying the
 * {@code --change} instructions and a Docker schema 2 manifest, so the image can be run and pushed like a pulled one.
 */
@Component
@OnEngine
public class ImageImporter {

    /** What to import. {@code repository} (it may carry a tag) and {@code tag} may be empty: an untagged image. */
    public record ImportRequest(String repository, String tag, String message, List<String> changes,
            String platform) {
    }

    static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    static final String DOCKER_LAYER_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int TAR_BLOCK = 512;

    private final ContentStore content;
    private final ImageStore images;
    private final ImageLayers layers;
    private final EngineEvents events;
    private final Clock clock;

    public ImageImporter(ContentStore content, ImageStore images, ImageLayers layers, EngineEvents events,
            Clock clock) {
        this.content = content;
        this.images = images;
        this.layers = layers;
        this.events = events;
        this.clock = clock;
    }

    /** Imports the archive {@code body} streams; returns the new image's id. Bad input fails before anything stays. */
    public Digest importImage(InputStream body, ImportRequest request) throws IOException {
        // Everything the request says is checked before the (possibly large) body is read.
        Platform platform = platform(request.platform());
        ImageReference reference = reference(request.repository(), request.tag());
        ObjectNode containerConfig = JSON.createObjectNode();
        try {
            ImageChanges.apply(containerConfig, request.changes());
        } catch (ImageChanges.InvalidChangeException e) {
            throw new InvalidImportException(e.getMessage());
        }

        Path file = content.newTempFile("import-");
        try {
            Layer layer = compress(body, file);
            Descriptor blob = new Descriptor(DOCKER_LAYER_GZIP, layer.blob(), layer.blobSize());
            content.lease(List.of(blob.digest()));
            boolean stored = false;
            try {
                Path path = content.adopt(blob, file);
                Digest chainId = ChainIds.of(List.of(layer.diffId())).get(0);
                long size;
                try {
                    size = layers.has(chainId) ? layers.existingSize(chainId)
                            : layers.unpack(chainId, null, layer.diffId(), path, read -> { });
                } catch (InvalidLayerException e) {
                    throw new InvalidImportException("invalid archive: " + e.getMessage());
                }
                Instant now = clock.instant();
                byte[] config = config(containerConfig, platform, layer.diffId(), request.message(), now);
                Descriptor configDescriptor = new Descriptor(DOCKER_CONFIG, Digest.sha256(config), config.length);
                content.put(configDescriptor, config);
                byte[] manifest = manifest(configDescriptor, blob);
                Digest manifestDigest = Digest.sha256(manifest);
                content.put(new Descriptor(Manifests.DOCKER_MANIFEST, manifestDigest, manifest.length), manifest);

                Digest id = configDescriptor.digest();
                ImageRecord record = images.get(id).orElseGet(() -> new ImageRecord(id, manifestDigest,
                        List.of(new ImageRecord.Layer(blob.digest(), DOCKER_LAYER_GZIP, blob.size(), layer.diffId(),
                                chainId, size)), now));
                images.add(record, reference == null ? List.of() : List.of(reference));
                stored = true;
                events.publish("image", "import", id.toString(),
                        reference == null ? Map.of() : Map.of("name", reference.familiar()));
                return id;
            } finally {
                boolean keep = stored;
                content.release(List.of(blob.digest()), digest -> keep || images.blobInUse(digest, null));
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** The layer as made: digests of the gzip blob and of the uncompressed tar (its diff id). */
    private record Layer(Digest blob, long blobSize, Digest diffId) {
    }

    /**
     * Streams the archive, decompressed, into {@code file} as gzip, digesting both forms on the way. The first block
     * must be a tar header (or the end-of-archive zeros): anything else is refused before more is read.
     */
    private static Layer compress(InputStream body, Path file) throws IOException {
        MessageDigest diffHash = DigestAlgorithm.SHA256.newMessageDigest();
        MessageDigest blobHash = DigestAlgorithm.SHA256.newMessageDigest();
        CountingOutputStream counted;
        try {
            InputStream tar = LayerUnpacker.decompressed(body);
            byte[] first = tar.readNBytes(TAR_BLOCK);
            if (first.length > 0 && !isTarHeader(first)) {
                throw new InvalidImportException("invalid archive: the body is not a tar archive (plain, gzip or "
                        + "zstd compressed): its first " + TAR_BLOCK + " bytes are no tar header");
            }
            counted = new CountingOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
            try (OutputStream gzip = new GZIPOutputStream(new DigestOutputStream(counted, blobHash), 1 << 16)) {
                diffHash.update(first);
                gzip.write(first);
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = tar.read(buffer)) > 0; ) {
                    diffHash.update(buffer, 0, n);
                    gzip.write(buffer, 0, n);
                }
            }
        } catch (ZipException | com.github.luben.zstd.ZstdIOException e) {
            throw new InvalidImportException("invalid archive: cannot decompress the body: " + e.getMessage());
        }
        return new Layer(Digest.fromBytes(DigestAlgorithm.SHA256, blobHash.digest()), counted.count,
                Digest.fromBytes(DigestAlgorithm.SHA256, diffHash.digest()));
    }

    /** A tar header's checksum (bytes 148-155, octal) is the sum of its bytes with that field read as spaces. */
    static boolean isTarHeader(byte[] block) {
        if (block.length < TAR_BLOCK) {
            return false;
        }
        boolean zeros = true;
        for (byte b : block) {
            if (b != 0) {
                zeros = false;
                break;
            }
        }
        if (zeros) {
            return true; // an empty archive: just the end marker
        }
        String field = new String(block, 148, 8, StandardCharsets.US_ASCII).replace('\0', ' ').strip();
        if (field.isEmpty() || !field.matches("[0-7]+")) {
            return false;
        }
        long expected = Long.parseLong(field, 8);
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < TAR_BLOCK; i++) {
            byte b = i >= 148 && i < 156 ? (byte) ' ' : block[i];
            unsigned += b & 0xff;
            signed += b;
        }
        return expected == unsigned || expected == signed;
    }

    private byte[] config(ObjectNode containerConfig, Platform platform, Digest diffId, String message, Instant now) {
        ObjectNode config = JSON.createObjectNode();
        config.put("architecture", platform.architecture());
        if (platform.variant() != null) {
            config.put("variant", platform.variant());
        }
        config.put("os", platform.os());
        config.put("created", now.toString());
        if (message != null && !message.isEmpty()) {
            config.put("comment", message);
        }
        config.set("config", containerConfig);
        ObjectNode rootfs = config.putObject("rootfs");
        rootfs.put("type", "layers");
        rootfs.putArray("diff_ids").add(diffId.toString());
        ObjectNode history = config.putArray("history").addObject();
        history.put("created", now.toString());
        if (message != null && !message.isEmpty()) {
            history.put("comment", message);
        }
        return JSON.writeValueAsBytes(config);
    }

    private static byte[] manifest(Descriptor config, Descriptor layer) {
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", Manifests.DOCKER_MANIFEST);
        manifest.set("config", descriptor(config));
        manifest.putArray("layers").add(descriptor(layer));
        return JSON.writeValueAsBytes(manifest);
    }

    private static ObjectNode descriptor(Descriptor descriptor) {
        ObjectNode node = JSON.createObjectNode();
        node.put("mediaType", descriptor.mediaType());
        node.put("size", descriptor.size());
        node.put("digest", descriptor.digest().toString());
        return node;
    }

    /** {@code os/arch[/variant]}; this node's platform when empty. */
    private static Platform platform(String value) {
        if (value == null || value.isEmpty()) {
            return Platform.current();
        }
        String[] parts = value.toLowerCase(java.util.Locale.ROOT).split("/");
        if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new InvalidImportException("invalid platform: " + value + " (expected os/arch[/variant])");
        }
        return new Platform(parts[0], parts[1], parts.length == 3 ? parts[2] : null);
    }

    /** dockerd: the repository, with {@code tag} applied when given, else {@code latest}; none when no repository. */
    private static ImageReference reference(String repository, String tag) {
        if (repository == null || repository.isEmpty()) {
            return null;
        }
        ImageReference reference = ImageReference.parse(repository);
        if (reference.digest() != null) {
            throw new InvalidReferenceException("cannot import digest reference: " + repository);
        }
        if (tag != null && !tag.isEmpty()) {
            return reference.withTag(tag);
        }
        return reference.withDefaultTag();
    }

    private static final class CountingOutputStream extends java.io.FilterOutputStream {
        private long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
