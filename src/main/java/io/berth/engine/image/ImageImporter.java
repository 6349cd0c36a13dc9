package io.berth.engine.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import io.berth.common.Digest;
import io.berth.common.error.BerthException;
import io.berth.common.error.ErrorKind;
import io.berth.common.oci.ImageConfiguration;
import io.berth.common.oci.Platform;
import io.berth.engine.OnEngine;
import io.berth.engine.events.EngineEvents;
import io.berth.engine.graph.InvalidLayerException;
import io.berth.engine.graph.LayerBlob;
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
        ImageReference reference = ImageReference.forNewImage(request.repository(), request.tag(), "import");
        ObjectNode containerConfig = json.createObjectNode();
        ImageChanges.apply(json, containerConfig, request.changes());

        Path file = content.newTempFile("import-");
        try {
            LayerBlob layer = GzipLayers.compress(body, file, "the body");
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
}
