package io.berth.engine.build.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.springframework.stereotype.Component;

import io.berth.common.AtomicFiles;
import io.berth.common.BerthProperties;
import io.berth.common.Digest;
import io.berth.engine.OnEngine;
import io.berth.engine.image.ImageRecord;
import io.berth.engine.image.ImageService;
import io.berth.engine.image.ImageStore;
import io.berth.engine.image.IntermediateImages;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The classic builder's cache: a step's image by what made it, the image it started from and the step as evaluated
 * (its command and environment; for COPY and ADD the checksum of the sources), so that the same step on the same
 * image is the same image again ({@code ---> Using cache}). Kept in {@code engine/build-cache.json}, written durably
 * with each new entry; an entry whose image was removed is a miss. The images it holds are intermediate images:
 * {@code docker images} shows them with {@code -a} only, and {@code docker builder prune} removes those nothing else
 * uses.
 */
@Component
@OnEngine
public class BuildCache implements IntermediateImages {

    /** What {@code POST /build/prune} removed. */
    public record Pruned(List<String> removed, long spaceReclaimed) {
    }

    private final Path file;
    private final JsonMapper json;
    private final ImageStore images;
    private final ImageService imageService;
    private final Map<String, Digest> entries = new LinkedHashMap<>();

    BuildCache(BerthProperties berth, JsonMapper json, ImageStore images, ImageService imageService)
            throws IOException {
        this.file = Files.createDirectories(berth.dataDir().resolve("engine")).resolve("build-cache.json");
        this.json = json;
        this.images = images;
        this.imageService = imageService;
        if (Files.exists(file)) {
            Map<String, String> stored = json.readValue(file.toFile(), new TypeReference<Map<String, String>>() {
            });
            stored.forEach((key, id) -> entries.put(key, Digest.parse(id)));
        }
    }

    /** The key of a step: the image it starts from (null: none) and the step as evaluated. */
    static String key(ImageRecord parent, String step) {
        return Digest.sha256(((parent == null ? "" : parent.id().toString()) + "\n" + step)
                .getBytes(StandardCharsets.UTF_8)).hex();
    }

    /** The image the step made before, if it is still there. */
    synchronized Optional<ImageRecord> find(String key) {
        Digest id = entries.get(key);
        return id == null ? Optional.empty() : images.get(id);
    }

    synchronized void put(String key, Digest id) throws IOException {
        if (id.equals(entries.put(key, id))) {
            return;
        }
        save();
    }

    @Override
    public synchronized boolean isIntermediate(Digest id) {
        return entries.containsValue(id);
    }

    /** Empties the cache and removes its images that have no tag and no container. */
    public synchronized Pruned prune() throws IOException {
        Set<Digest> held = new LinkedHashSet<>(entries.values());
        entries.clear();
        save();
        List<String> removed = new ArrayList<>();
        Set<Digest> layers = new LinkedHashSet<>();
        Map<Digest, Long> sizes = new LinkedHashMap<>();
        for (Digest id : held) {
            Optional<ImageRecord> image = images.get(id);
            if (image.isEmpty() || !images.references(id).isEmpty()) {
                continue;
            }
            try {
                imageService.remove(id.toString(), false);
            } catch (RuntimeException e) {
                continue; // a container uses it
            }
            removed.add(id.toString());
            image.get().layers().forEach(layer -> {
                layers.add(layer.chainId());
                sizes.put(layer.chainId(), layer.size());
            });
        }
        long reclaimed = layers.stream().filter(layer -> !images.layerInUse(layer, null))
                .mapToLong(sizes::get).sum();
        return new Pruned(removed, reclaimed);
    }

    private void save() throws IOException {
        Map<String, String> stored = new LinkedHashMap<>();
        entries.forEach((key, id) -> stored.put(key, id.toString()));
        AtomicFiles.write(file, json.writeValueAsBytes(stored));
    }
}
