package io.berth.engine.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.springframework.stereotype.Component;

import io.berth.common.Digest;
import io.berth.common.oci.Descriptor;
import io.berth.common.oci.ImageConfiguration;
import io.berth.common.oci.MediaTypes;
import io.berth.common.oci.Platform;
import io.berth.engine.OnEngine;
import io.berth.engine.graph.LayerBlob;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stores an image made on this node ({@code docker build}, {@code commit}, {@code import}, {@code load}): a parent
 * image (or none) plus new layers and a new run configuration become a complete image of the store, like a pulled one.
 * Its config blob carries the parent's history and diff ids followed by the new ones; its manifest (Docker schema 2,
 * or OCI when the parent's layers are OCI's) names the parent's compressed layers as they were pulled and the new ones
 * as they were written, so the image runs, shows in {@code docker images} and {@code docker history}, and pushes byte
 * for byte. Each new layer is unpacked into the storage driver on top of the parent's. What fails leaves no blob
 * behind that no image uses.
 */
@Component
@OnEngine
public class ImageWriter {

    /**
     * What to store.
     *
     * @param parent    the image built on, null for none ({@code FROM scratch}, an import)
     * @param layers    the new layers, bottom first, gzip-compressed in files of {@link ContentStore#newTempFile}
     * @param config    the run configuration ({@code Cmd}, {@code Env}, ...): the whole of it, not a change
     * @param history   the new history entries, one per step; those with a layer in {@code layers}' order
     * @param platform  null: the parent's, else this machine's
     */
    public record ImageDraft(ImageRecord parent, List<LayerBlob> layers, JsonNode config,
            List<ImageConfiguration.History> history, String author, String comment, Platform platform,
            Instant created) {

        public ImageDraft {
            layers = List.copyOf(layers);
            history = List.copyOf(history);
        }
    }

    /** The Docker schema 2 / OCI manifest, fields in Docker's order. */
    private record ManifestDocument(int schemaVersion, String mediaType, DescriptorDocument config,
            List<DescriptorDocument> layers) {
    }

    private record DescriptorDocument(String mediaType, long size, String digest) {

        static DescriptorDocument of(Descriptor descriptor) {
            return new DescriptorDocument(descriptor.mediaType(), descriptor.size(), descriptor.digest().toString());
        }
    }

    private final JsonMapper json;
    private final ContentStore content;
    private final ImageStore images;
    private final ImageLayers layers;

    public ImageWriter(JsonMapper json, ContentStore content, ImageStore images, ImageLayers layers) {
        this.json = json;
        this.content = content;
        this.images = images;
        this.layers = layers;
    }

    /** Stores the image and points {@code tags} at it; returns its record (the existing one if the same id exists). */
    public ImageRecord write(ImageDraft draft, List<ImageReference> tags) throws IOException {
        ImageRecord parent = draft.parent();
        ImageConfiguration parentConfig = parent == null ? null
                : ImageConfigurations.read(json, content.read(parent.id()), parent.id());
        boolean oci = parent != null && parent.layers().stream()
                .anyMatch(layer -> layer.mediaType().startsWith("application/vnd.oci."));
        String layerType = oci ? MediaTypes.OCI_LAYER_GZIP : MediaTypes.DOCKER_LAYER_GZIP;

        List<Digest> leased = new ArrayList<>();
        draft.layers().forEach(layer -> leased.add(layer.digest()));
        content.lease(leased);
        boolean stored = false;
        try {
            List<ImageRecord.Layer> stack = new ArrayList<>(parent == null ? List.of() : parent.layers());
            List<Digest> diffIds = new ArrayList<>(stack.stream().map(ImageRecord.Layer::diffId).toList());
            for (LayerBlob blob : draft.layers()) {
                diffIds.add(blob.diffId());
            }
            List<Digest> chain = ChainIds.of(diffIds);
            for (LayerBlob blob : draft.layers()) {
                Path path = content.adopt(Descriptor.of(layerType, blob.digest(), blob.size()), blob.file());
                int index = stack.size();
                Digest chainId = chain.get(index);
                Digest parentChain = index == 0 ? null : chain.get(index - 1);
                long size = layers.has(chainId) ? layers.existingSize(chainId)
                        : layers.unpack(chainId, parentChain, blob.diffId(), path, read -> { });
                stack.add(new ImageRecord.Layer(blob.digest(), layerType, blob.size(), blob.diffId(), chainId, size));
            }

            List<ImageConfiguration.History> history = new ArrayList<>(
                    parentConfig == null ? List.of() : parentConfig.history());
            history.addAll(draft.history());
            Platform platform = draft.platform() != null ? draft.platform()
                    : parentConfig != null ? new Platform(parentConfig.architecture(), parentConfig.os(),
                            parentConfig.variant()) : Platform.current();
            byte[] config = json.writeValueAsBytes(new ImageConfiguration(platform.architecture(),
                    platform.variant(), platform.os(), draft.created().toString(), emptyAsNull(draft.author()), null,
                    emptyAsNull(draft.comment()), draft.config(),
                    new ImageConfiguration.RootFs("layers", diffIds.stream().map(Digest::toString).toList()),
                    history));
            Descriptor configDescriptor = Descriptor.of(oci ? MediaTypes.OCI_CONFIG : MediaTypes.DOCKER_CONFIG,
                    Digest.sha256(config), config.length);
            content.put(configDescriptor, config);
            String manifestType = oci ? MediaTypes.OCI_MANIFEST : MediaTypes.DOCKER_MANIFEST;
            byte[] manifest = json.writeValueAsBytes(new ManifestDocument(2, manifestType,
                    DescriptorDocument.of(configDescriptor), stack.stream()
                            .map(layer -> new DescriptorDocument(layer.mediaType(), layer.blobSize(),
                                    layer.blob().toString()))
                            .toList()));
            Digest manifestDigest = Digest.sha256(manifest);
            content.put(Descriptor.of(manifestType, manifestDigest, manifest.length), manifest);

            Digest id = configDescriptor.digest();
            List<ImageRecord.Layer> finalStack = List.copyOf(stack);
            ImageRecord record = images.get(id).orElseGet(() -> new ImageRecord(id, manifestDigest, finalStack,
                    draft.created()));
            images.add(record, tags);
            stored = true;
            return record;
        } finally {
            for (LayerBlob blob : draft.layers()) {
                Files.deleteIfExists(blob.file()); // adopted ones were moved away already
            }
            boolean keep = stored;
            content.release(leased, digest -> keep || images.blobInUse(digest, null));
        }
    }

    private static String emptyAsNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
