package io.berth.engine.image;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
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
import io.berth.common.error.BerthException;
import io.berth.common.error.ErrorKind;
import io.berth.common.oci.ImageConfiguration;
import io.berth.common.oci.Platform;
import io.berth.engine.OnEngine;
import io.berth.engine.api.EngineEvents;
import io.berth.engine.graph.InvalidLayerException;
import io.berth.engine.graph.LayerBlob;
import io.berth.engine.graph.LayerUnpacker;
import io.berth.engine.graph.TarBlocks;
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

    private final JsonMapper json;
    private final ContentStore content;
    private final ImageWriter writer;
    private final EngineEvents events;
    private final Clock clock;

    public ImageImporter(JsonMapper json, ContentStore content, ImageWriter writer, EngineEvents events, Clock clock) {
        this.json = json;
        this.content = content;
        this.writer = writer;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Imports the archive {@code body} streams; returns the new image's id. Bad input fails ({@link ErrorKind#INVALID})
     * before anything stays.
     */
    public Digest importImage(InputStream body, ImportRequest request) throws IOException {
        // Everything the request says is checked before the (possibly large) body is read.
        Platform platform = request.platform() == null || request.platform().isEmpty() ? Platform.current()
                : Platform.parse(request.platform());
        ImageReference reference = reference(request.repository(), request.tag());
        ObjectNode containerConfig = json.createObjectNode();
        ImageChanges.apply(json, containerConfig, request.changes());

        Path file = content.newTempFile("import-");
        try {
            LayerBlob layer = compress(body, file);
            Instant now = clock.instant();
            String comment = request.message() == null || request.message().isEmpty() ? null : request.message();
            ImageRecord record;
            try {
                record = writer.write(new ImageWriter.ImageDraft(null, List.of(layer), containerConfig,
                        List.of(new ImageConfiguration.History(now.toString(), null, null, comment, null)), null,
                        comment, platform, now), reference == null ? List.of() : List.of(reference));
            } catch (InvalidLayerException e) {
                throw new BerthException(ErrorKind.INVALID, "invalid archive: " + e.getMessage());
            }
            events.publish("image", "import", record.id().toString(),
                    reference == null ? Map.of() : Map.of("name", reference.familiar()));
            return record.id();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * Streams the archive, decompressed, into {@code file} as gzip, digesting both forms on the way. The first block
     * must be a tar header (or the end-of-archive zeros): anything else is refused before more is read.
     */
    private static LayerBlob compress(InputStream body, Path file) throws IOException {
        MessageDigest blobHash = DigestAlgorithm.SHA256.newMessageDigest();
        DigestInputStream tar;
        try {
            tar = new DigestInputStream(LayerUnpacker.decompressed(body), DigestAlgorithm.SHA256.newMessageDigest());
            byte[] first = tar.readNBytes(TarBlocks.BLOCK);
            if (first.length > 0 && !TarBlocks.isHeader(first)) {
                throw new BerthException(ErrorKind.INVALID, "invalid archive: the body is not a tar archive (plain, "
                        + "gzip or zstd compressed): its first " + TarBlocks.BLOCK + " bytes are no tar header");
            }
            try (OutputStream gzip = new GZIPOutputStream(new DigestOutputStream(
                    new BufferedOutputStream(Files.newOutputStream(file), 1 << 16), blobHash), 1 << 16)) {
                gzip.write(first);
                tar.transferTo(gzip);
            }
        } catch (ZipException | com.github.luben.zstd.ZstdIOException e) {
            throw new BerthException(ErrorKind.INVALID, "invalid archive: cannot decompress the body: "
                    + e.getMessage());
        }
        return new LayerBlob(file, Digest.fromBytes(DigestAlgorithm.SHA256, blobHash.digest()), Files.size(file),
                Digest.fromBytes(DigestAlgorithm.SHA256, tar.getMessageDigest().digest()));
    }

    /** dockerd: the repository, with {@code tag} applied when given, else {@code latest}; none when no repository. */
    private static ImageReference reference(String repository, String tag) {
        if (repository == null || repository.isEmpty()) {
            return null;
        }
        ImageReference reference = ImageReference.parse(repository);
        if (reference.digest() != null) {
            throw new BerthException(ErrorKind.INVALID, "cannot import digest reference: " + repository);
        }
        if (tag != null && !tag.isEmpty()) {
            return reference.withTag(tag);
        }
        return reference.withDefaultTag();
    }
}
