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
        List<Digest> diffIds = new ArrayList<>();
        List<LayerSource> stack = new ArrayList<>();
        if (parent != null) {
            parent.layers().forEach(layer -> {
                diffIds.add(layer.diffId());
                stack.add(new LayerSource.Stored(layer));
            });
        }
        draft.layers().forEach(blob -> {
            diffIds.add(blob.diffId());
            stack.add(new LayerSource.Written(blob));
        });
        List<ImageConfiguration.History> history = new ArrayList<>(
                parentConfig == null ? List.of() : parentConfig.history());
        history.addAll(draft.history());
        Platform platform = draft.platform() != null ? draft.platform()
                : parentConfig != null ? new Platform(parentConfig.architecture(), parentConfig.os(),
                        parentConfig.variant()) : Platform.current();
        byte[] config = json.writeValueAsBytes(new ImageConfiguration(platform.architecture(), platform.variant(),
                platform.os(), draft.created().toString(), emptyAsNull(draft.author()), null,
                emptyAsNull(draft.comment()), draft.config(),
                new ImageConfiguration.RootFs("layers", diffIds.stream().map(Digest::toString).toList()), history));
        return store(config, stack, oci, tags, draft.created());
    }

    /**
     * Stores an image whose config is given byte for byte ({@code docker load}: the image keeps its id), with its
     * layers in the config's order: ones the store has, or new ones.
     */
    public ImageRecord writeExact(byte[] config, List<LayerSource> layers, List<ImageReference> tags, Instant created)
            throws IOException {
        boolean oci = layers.stream().anyMatch(source -> source instanceof LayerSource.Stored stored
                && stored.layer().mediaType().startsWith("application/vnd.oci."));
        return store(config, layers, oci, tags, created);
    }

    /** One layer of an image being stored: already in the store, or written for it. */
    public sealed interface LayerSource {

        Digest diffId();

        /** A layer the store has (in the parent, or another image): its compressed blob is reused. */
        record Stored(ImageRecord.Layer layer) implements LayerSource {
            @Override
            public Digest diffId() {
                return layer.diffId();
            }
        }

        /** A new layer: its file is moved into the content store. */
        record Written(LayerBlob blob) implements LayerSource {
            @Override
            public Digest diffId() {
                return blob.diffId();
            }
        }
    }

    private ImageRecord store(byte[] config, List<LayerSource> sources, boolean oci, List<ImageReference> tags,
            Instant created) throws IOException {
        String layerType = oci ? MediaTypes.OCI_LAYER_GZIP : MediaTypes.DOCKER_LAYER_GZIP;
        List<Digest> leased = new ArrayList<>();
        for (LayerSource source : sources) {
            leased.add(source instanceof LayerSource.Written written ? written.blob().digest()
                    : ((LayerSource.Stored) source).layer().blob());
        }
        content.lease(leased);
        boolean stored = false;
        try {
            List<Digest> chain = ChainIds.of(sources.stream().map(LayerSource::diffId).toList());
            List<ImageRecord.Layer> stack = new ArrayList<>();
            for (LayerSource source : sources) {
                int index = stack.size();
                Digest chainId = chain.get(index);
                Digest parentChain = index == 0 ? null : chain.get(index - 1);
                if (source instanceof LayerSource.Stored existing) {
                    ImageRecord.Layer layer = existing.layer();
                    if (!layers.has(chainId)) {
                        layers.unpack(chainId, parentChain, layer.diffId(), content.path(layer.blob()), read -> { });
                    }
                    stack.add(new ImageRecord.Layer(layer.blob(), layer.mediaType(), layer.blobSize(), layer.diffId(),
                            chainId, layers.existingSize(chainId)));
                    continue;
                }
                LayerBlob blob = ((LayerSource.Written) source).blob();
                Path path = content.adopt(Descriptor.of(layerType, blob.digest(), blob.size()), blob.file());
                long size = layers.has(chainId) ? layers.existingSize(chainId)
                        : layers.unpack(chainId, parentChain, blob.diffId(), path, read -> { });
                stack.add(new ImageRecord.Layer(blob.digest(), layerType, blob.size(), blob.diffId(), chainId, size));
            }
            Descriptor configDescriptor = Descriptor.of(oci ? MediaTypes.OCI_CONFIG : MediaTypes.DOCKER_CONFIG,
                    Digest.sha256(config), config.length);
            content.put(configDescriptor, config);
            String manifestType = oci ? MediaTypes.OCI_MANIFEST : MediaTypes.DOCKER_MANIFEST;
            byte[] manifest = json.writeValueAsBytes(new ManifestDocument(2, manifestType,
                    DescriptorDocument.of(configDescriptor), stack.stream()
                            .map(layer -> new DescriptorDocument(manifestLayerType(layer.mediaType(), oci),
                                    layer.blobSize(), layer.blob().toString()))
                            .toList()));
            Digest manifestDigest = Digest.sha256(manifest);
            content.put(Descriptor.of(manifestType, manifestDigest, manifest.length), manifest);

            Digest id = configDescriptor.digest();
            List<ImageRecord.Layer> finalStack = List.copyOf(stack);
            ImageRecord record = images.get(id).orElseGet(() -> new ImageRecord(id, manifestDigest, finalStack,
                    created));
            images.add(record, tags);
            stored = true;
            return record;
        } finally {
            for (LayerSource source : sources) {
                if (source instanceof LayerSource.Written written) {
                    Files.deleteIfExists(written.blob().file()); // adopted ones were moved away already
                }
            }
            boolean keep = stored;
            content.release(leased, digest -> keep || images.blobInUse(digest, null));
        }
    }

    /** A gzip layer is the same bytes under Docker's type and OCI's: named as the manifest's family names it. */
    private static String manifestLayerType(String mediaType, boolean oci) {
        if (oci && mediaType.equals(MediaTypes.DOCKER_LAYER_GZIP)) {
            return MediaTypes.OCI_LAYER_GZIP;
        }
        return !oci && mediaType.equals(MediaTypes.OCI_LAYER_GZIP) ? MediaTypes.DOCKER_LAYER_GZIP : mediaType;
    }

    private static String emptyAsNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
