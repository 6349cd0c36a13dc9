package io.berth.engine.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import org.springframework.stereotype.Component;

import io.berth.common.BerthProperties;
import io.berth.common.Digest;
import io.berth.common.InvalidDigestException;
import io.berth.common.error.BerthException;
import io.berth.common.error.ErrorKind;
import io.berth.common.oci.ImageConfiguration;
import io.berth.engine.OnEngine;
import io.berth.engine.events.EngineEvents;
import io.berth.engine.graph.ArchivePaths;
import io.berth.engine.graph.FileTrees;
import io.berth.engine.graph.InvalidLayerException;
import io.berth.engine.graph.LayerBlob;
import io.berth.engine.graph.LayerUnpacker;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code docker load}: an image archive in the docker-archive format ({@code manifest.json} naming each image's config
 * and layer files, as dockerd 20.10 and Docker 25+ write it, the latter inside an OCI layout), plain or compressed. In
 * two steps, so that nothing is half made: {@link #prepare} unpacks the archive with the layer unpacker's refusals
 * ({@code ..}, absolute names, links out), reads every image, checks each layer against the diff id its config
 * states while it compresses it; only then {@link LoadPlan#commit} stores the images, each keeping its id (its config
 * is kept byte for byte), and tags them.
 */
@Component
@OnEngine
public class ImageLoader {

    /** A layer of the archive compressed for the store, and the size of its tar in the archive (the progress). */
    private record ArchiveLayer(LayerBlob blob, long tarSize) {
    }

    /** One image read from the archive, ready to store. */
    private record Prepared(byte[] config, Digest id, List<Digest> diffIds, List<ImageReference> tags) {
    }

    private final ImageStore images;
    private final ContentStore content;
    private final ImageWriter writer;
    private final EngineEvents events;
    private final JsonMapper json;
    private final Clock clock;
    private final Path work;

    public ImageLoader(BerthProperties berth, ImageStore images, ContentStore content, ImageWriter writer,
            EngineEvents events, JsonMapper json, Clock clock) throws IOException {
        this.images = images;
        this.content = content;
        this.writer = writer;
        this.events = events;
        this.json = json;
        this.clock = clock;
        this.work = Files.createDirectories(berth.dataDir().resolve("engine").resolve("load"));
        try (Stream<Path> leftovers = Files.list(work)) {
            for (Path leftover : leftovers.toList()) {
                FileTrees.deleteTree(leftover); // of loads a crash interrupted: nothing refers to them
            }
        }
    }

    /** An archive read and checked, holding its layers compressed in temporary files until commit or close. */
    public final class LoadPlan implements AutoCloseable {

        private final Path directory;
        private final List<Prepared> prepared;
        private final Map<Digest, ArchiveLayer> blobs;

        private LoadPlan(Path directory, List<Prepared> prepared, Map<Digest, ArchiveLayer> blobs) {
            this.directory = directory;
            this.prepared = prepared;
            this.blobs = blobs;
        }

        /**
         * The layers this archive brings into the store, in the archive's order, by diff id, with the sizes of their
         * tars in the archive: the progress dockerd reports while it reads them.
         */
        public Map<Digest, Long> layerSizes() {
            Map<Digest, Long> sizes = new LinkedHashMap<>();
            blobs.forEach((diffId, layer) -> sizes.put(diffId, layer.tarSize()));
            return sizes;
        }

        /**
         * Stores the images; returns what docker prints for each: {@code Loaded image: <tag>} or
         * {@code Loaded image ID: <id>}, after a line for every tag that moves from another image.
         */
        public List<String> commit() throws IOException {
            List<String> lines = new ArrayList<>();
            for (Prepared image : prepared) {
                List<ImageWriter.LayerSource> sources = new ArrayList<>();
                List<Digest> chain = ChainIds.of(image.diffIds());
                for (int i = 0; i < chain.size(); i++) {
                    Optional<ImageRecord.Layer> stored = storedLayer(chain.get(i));
                    ArchiveLayer layer = blobs.get(image.diffIds().get(i));
                    LayerBlob blob = layer == null ? null : layer.blob();
                    if (stored.isPresent()) {
                        sources.add(new ImageWriter.LayerSource.Stored(stored.get()));
                    } else if (blob != null && Files.exists(blob.file())) {
                        sources.add(new ImageWriter.LayerSource.Written(blob));
                    } else {
                        throw new BerthException(ErrorKind.FAILED, "layer " + image.diffIds().get(i)
                                + " of the archive is gone from the store while it was loaded");
                    }
                }
                for (ImageReference tag : image.tags()) {
                    images.resolve(tag).filter(previous -> !previous.equals(image.id())).ifPresent(previous ->
                            lines.add("The image " + tag.familiar() + " already exists, renaming the old one with ID "
                                    + previous + " to empty string"));
                }
                ImageRecord record = writer.writeExact(image.config(), sources, image.tags(), clock.instant());
                events.publish("image", "load", record.id().toString(), Map.of("name", record.id().toString()));
                if (image.tags().isEmpty()) {
                    lines.add("Loaded image ID: " + record.id());
                }
                image.tags().forEach(tag -> lines.add("Loaded image: " + tag.familiar()));
            }
            return lines;
        }

        @Override
        public void close() throws IOException {
            FileTrees.deleteTree(directory);
        }
    }

    /**
     * Reads and checks the archive {@code body}.
     *
     * @throws BerthException ({@link ErrorKind#INVALID}) for an archive it refuses, with nothing kept
     */
    public LoadPlan prepare(InputStream body) throws IOException {
        Path directory = Files.createDirectory(work.resolve(UUID.randomUUID().toString()));
        try {
            Path root = Files.createDirectory(directory.resolve("archive"));
            try {
                LayerUnpacker.unpackArchive(LayerUnpacker.decompressed(body), root, null);
            } catch (InvalidLayerException e) {
                throw invalid("invalid image archive: " + e.getMessage());
            } catch (java.util.zip.ZipException | com.github.luben.zstd.ZstdIOException e) {
                throw invalid("invalid image archive: cannot decompress it: " + e.getMessage());
            }
            Path manifestFile = file(root, "manifest.json");
            if (manifestFile == null) {
                throw invalid("invalid image archive: it has no manifest.json (an OCI layout without docker's "
                        + "manifest.json cannot be loaded)");
            }
            List<ArchiveManifest> manifests;
            try {
                manifests = List.of(json.readValue(Files.readAllBytes(manifestFile), ArchiveManifest[].class));
            } catch (JacksonException e) {
                throw invalid("invalid image archive: manifest.json is not valid: " + e.getOriginalMessage());
            }
            Path blobsDirectory = Files.createDirectory(directory.resolve("blobs"));
            List<Prepared> prepared = new ArrayList<>();
            Map<Digest, ArchiveLayer> blobs = new LinkedHashMap<>();
            for (ArchiveManifest manifest : manifests) {
                prepared.add(prepare(root, manifest, blobsDirectory, blobs));
            }
            return new LoadPlan(directory, prepared, blobs);
        } catch (IOException | RuntimeException e) {
            try {
                FileTrees.deleteTree(directory);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private Prepared prepare(Path root, ArchiveManifest manifest, Path blobsDirectory,
            Map<Digest, ArchiveLayer> blobs)
            throws IOException {
        if (manifest == null || manifest.config() == null) {
            throw invalid("invalid image archive: a manifest.json entry has no Config");
        }
        Path configFile = file(root, manifest.config());
        if (configFile == null) {
            throw invalid("invalid image archive: its config " + manifest.config() + " is not in it");
        }
        byte[] config = Files.readAllBytes(configFile);
        Digest id = Digest.sha256(config);
        ImageConfiguration parsed;
        try {
            parsed = ImageConfigurations.read(json, config, id);
        } catch (BerthException e) {
            throw invalid("invalid image archive: " + e.getMessage());
        }
        List<Digest> diffIds = new ArrayList<>();
        try {
            if (parsed.rootfs() != null && parsed.rootfs().diffIds() != null) {
                parsed.rootfs().diffIds().forEach(diffId -> diffIds.add(Digest.parse(diffId)));
            }
        } catch (InvalidDigestException e) {
            throw invalid("invalid image archive: config " + manifest.config() + " has an invalid diff id: "
                    + e.getMessage());
        }
        List<String> layers = manifest.layers() == null ? List.of() : manifest.layers();
        if (layers.size() != diffIds.size()) {
            throw invalid("invalid manifest, layers length mismatch: expected " + diffIds.size() + ", got "
                    + layers.size());
        }
        List<ImageReference> tags = new ArrayList<>();
        for (String tag : manifest.repoTags() == null ? List.<String>of() : manifest.repoTags()) {
            ImageReference reference = ImageReference.parse(tag);
            if (reference.digest() != null) {
                throw invalid("invalid image archive: RepoTags holds a digest reference: " + tag);
            }
            tags.add(reference.withDefaultTag());
        }
        List<Digest> chain = ChainIds.of(diffIds);
        for (int i = 0; i < layers.size(); i++) {
            Digest diffId = diffIds.get(i);
            if (blobs.containsKey(diffId) || storedLayer(chain.get(i)).isPresent()) {
                continue; // compressed for another image of the archive, or in the store already
            }
            Path layerFile = file(root, layers.get(i));
            if (layerFile == null) {
                throw invalid("invalid image archive: layer " + layers.get(i) + " is not in it");
            }
            LayerBlob blob;
            try (InputStream in = Files.newInputStream(layerFile)) {
                blob = GzipLayers.compress(in, Files.createTempFile(blobsDirectory, "layer-", ".gz"),
                        "layer " + layers.get(i));
            }
            if (!blob.diffId().equals(diffId)) {
                throw invalid("invalid diffID for layer " + i + ": expected \"" + diffId + "\", got \""
                        + blob.diffId() + "\"");
            }
            blobs.put(diffId, new ArchiveLayer(blob, Files.size(layerFile)));
        }
        return new Prepared(config, id, List.copyOf(diffIds), List.copyOf(tags));
    }

    /** The layer {@code chainId} as an image of the store has it with its compressed blob, if one does. */
    private Optional<ImageRecord.Layer> storedLayer(Digest chainId) {
        return images.layers(chainId).stream().filter(layer -> content.has(layer.blob())).findFirst();
    }

    /** A regular file of the archive at {@code name}, symlinks inside it followed; null when there is none. */
    private static Path file(Path root, String name) throws IOException {
        try {
            Path path = ArchivePaths.resolve(root, name);
            return Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) ? path : null;
        } catch (ArchivePaths.OutsideException e) {
            throw invalid("invalid image archive: " + e.getMessage());
        }
    }

    private static BerthException invalid(String message) {
        return new BerthException(ErrorKind.INVALID, message);
    }
}
