package io.berth.engine.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.springframework.stereotype.Component;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.berth.common.BerthProperties;
import io.berth.common.AtomicFiles;
import io.berth.common.Digest;
import io.berth.engine.OnEngine;
import tools.jackson.databind.json.JsonMapper;

/**
 * The node's images under {@code <data-dir>/engine/images/}: one JSON record per image in {@code imagedb/<hex>.json}
 * and {@code repositories.json}, which maps references ({@code docker.io/library/busybox:latest},
 * {@code localhost:5000/a@sha256:...}) to image ids as dockerd's file of that name does. Every file is replaced
 * atomically; all methods are serialised on the store, and what they return are immutable snapshots.
 */
@Component
@OnEngine
public class ImageStore {

    /** The file of one image in {@code imagedb/}. */
    private record StoredImage(String id, String manifest, String created, List<StoredLayer> layers) {

        static StoredImage of(ImageRecord image) {
            return new StoredImage(image.id().toString(), image.manifestDigest().toString(),
                    image.created().toString(), image.layers().stream().map(StoredLayer::of).toList());
        }

        ImageRecord toRecord() {
            return new ImageRecord(Digest.parse(id), Digest.parse(manifest),
                    layers == null ? List.of() : layers.stream().map(StoredLayer::toLayer).toList(),
                    Instant.parse(created));
        }
    }

    private record StoredLayer(String blob, String mediaType, long blobSize, String diffId, String chainId,
            long size) {

        static StoredLayer of(ImageRecord.Layer layer) {
            return new StoredLayer(layer.blob().toString(), layer.mediaType(), layer.blobSize(),
                    layer.diffId().toString(), layer.chainId().toString(), layer.size());
        }

        ImageRecord.Layer toLayer() {
            return new ImageRecord.Layer(Digest.parse(blob), mediaType == null ? "" : mediaType, blobSize,
                    Digest.parse(diffId), Digest.parse(chainId), size);
        }
    }

    /** {@code repositories.json}: repository name → canonical reference → image id, as dockerd's file. */
    private record StoredReferences(@JsonProperty("Repositories") Map<String, Map<String, String>> repositories) {
    }

    private final JsonMapper json;
    private final Path imageDb;
    private final Path repositoriesFile;
    private final Map<Digest, ImageRecord> images = new HashMap<>();
    /** Canonical reference → image id. */
    private final Map<String, Digest> references = new TreeMap<>();

    public ImageStore(BerthProperties berth, JsonMapper json) throws IOException {
        this.json = json;
        Path root = berth.dataDir().resolve("engine").resolve("images");
        this.imageDb = Files.createDirectories(root.resolve("imagedb"));
        this.repositoriesFile = root.resolve("repositories.json");
        load();
    }

    public synchronized Optional<ImageRecord> get(Digest id) {
        return Optional.ofNullable(images.get(id));
    }

    public synchronized List<ImageRecord> all() {
        return images.values().stream().sorted(Comparator.comparing(ImageRecord::created).reversed()).toList();
    }

    public synchronized int count() {
        return images.size();
    }

    /**
     * The image {@code name} designates, looked up as dockerd does: first as a reference ({@code busybox} meaning
     * {@code docker.io/library/busybox:latest}), then as a full id or a unique id prefix.
     */
    public synchronized Optional<ImageRecord> find(String name) {
        if (ImageReference.isValid(name)) {
            Digest id = references.get(ImageReference.parse(name).withDefaultTag().canonical());
            if (id != null) {
                return Optional.ofNullable(images.get(id));
            }
        }
        String hex = name.startsWith("sha256:") ? name.substring("sha256:".length()) : name;
        if (hex.isEmpty() || !hex.matches("[0-9a-f]{1,64}")) {
            return Optional.empty();
        }
        List<ImageRecord> matches = images.values().stream().filter(image -> image.id().hex().startsWith(hex))
                .toList();
        return matches.size() == 1 ? Optional.of(matches.get(0)) : Optional.empty();
    }

    public synchronized Optional<Digest> resolve(ImageReference reference) {
        return Optional.ofNullable(references.get(reference.canonical()));
    }

    /** The canonical references to {@code id}, sorted. */
    public synchronized List<ImageReference> references(Digest id) {
        return references.entrySet().stream().filter(entry -> entry.getValue().equals(id))
                .map(entry -> ImageReference.parse(entry.getKey())).toList();
    }

    /** Records an image (replacing an earlier record of the same id) and points {@code refs} at it. */
    public synchronized void add(ImageRecord image, List<ImageReference> refs) {
        try {
            AtomicFiles.write(imageDb.resolve(image.id().hex() + ".json"), json.writeValueAsBytes(StoredImage.of(image)));
            images.put(image.id(), image);
            for (ImageReference ref : refs) {
                references.put(ref.canonical(), image.id());
            }
            saveReferences();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record image " + image.id(), e);
        }
    }

    /** Points {@code ref} at image {@code id}; returns the image it pointed at before, if another. */
    public synchronized Optional<Digest> tag(ImageReference ref, Digest id) {
        if (!images.containsKey(id)) {
            throw new ImageNotFoundException(id.toString());
        }
        Digest previous = references.put(ref.canonical(), id);
        save();
        return Optional.ofNullable(previous).filter(p -> !p.equals(id));
    }

    /** Removes reference {@code ref}; false when it did not exist. */
    public synchronized boolean untag(ImageReference ref) {
        boolean removed = references.remove(ref.canonical()) != null;
        if (removed) {
            save();
        }
        return removed;
    }

    /** Removes the image record and every reference to it. */
    public synchronized void remove(Digest id) {
        references.values().removeIf(id::equals);
        save();
        images.remove(id);
        try {
            Files.deleteIfExists(imageDb.resolve(id.hex() + ".json"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove record of image " + id, e);
        }
    }

    /** The unpacked size recorded for layer {@code chainId} by any image, if one has it. */
    public synchronized Optional<Long> layerSize(Digest chainId) {
        return images.values().stream().flatMap(image -> image.layers().stream())
                .filter(layer -> layer.chainId().equals(chainId)).map(ImageRecord.Layer::size).findFirst();
    }

    /** The layers with this chain id as images record them: one per compressed form (blob) of it. */
    public synchronized List<ImageRecord.Layer> layers(Digest chainId) {
        return images.values().stream().flatMap(image -> image.layers().stream())
                .filter(layer -> layer.chainId().equals(chainId)).distinct().toList();
    }

    /** Whether any image other than {@code except} uses layer {@code chainId}. */
    public synchronized boolean layerInUse(Digest chainId, Digest except) {
        return images.values().stream().filter(image -> !image.id().equals(except))
                .flatMap(image -> image.layers().stream()).anyMatch(layer -> layer.chainId().equals(chainId));
    }

    /** Whether any image other than {@code except} references blob {@code digest} (layer, manifest or config). */
    public synchronized boolean blobInUse(Digest digest, Digest except) {
        return images.values().stream().filter(image -> !image.id().equals(except))
                .anyMatch(image -> image.id().equals(digest) || image.manifestDigest().equals(digest)
                        || image.layers().stream().anyMatch(layer -> layer.blob().equals(digest)))
                || references.keySet().stream().anyMatch(ref -> ref.endsWith("@" + digest)
                        && !references.get(ref).equals(except));
    }

    private void save() {
        try {
            saveReferences();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + repositoriesFile, e);
        }
    }

    private void saveReferences() throws IOException {
        Map<String, Map<String, String>> repositories = new TreeMap<>();
        references.forEach((ref, id) -> repositories
                .computeIfAbsent(ImageReference.parse(ref).name(), name -> new TreeMap<>())
                .put(ref, id.toString()));
        AtomicFiles.write(repositoriesFile,
                json.writerWithDefaultPrettyPrinter().writeValueAsBytes(new StoredReferences(repositories)));
    }

    private void load() throws IOException {
        try (Stream<Path> files = Files.list(imageDb)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).toList()) {
                ImageRecord image = json.readValue(Files.readAllBytes(file), StoredImage.class).toRecord();
                images.put(image.id(), image);
            }
        }
        if (Files.exists(repositoriesFile)) {
            StoredReferences stored = json.readValue(Files.readAllBytes(repositoriesFile), StoredReferences.class);
            if (stored.repositories() != null) {
                stored.repositories().values().forEach(repository -> repository.forEach((ref, value) -> {
                    Digest id = Digest.parse(value);
                    if (images.containsKey(id)) {
                        references.put(ref, id);
                    }
                }));
            }
        }
    }
}
