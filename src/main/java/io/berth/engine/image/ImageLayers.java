package io.berth.engine.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

import org.springframework.stereotype.Component;

import io.berth.common.Digest;
import io.berth.engine.OnEngine;
import io.berth.engine.graph.GraphDriver;

/**
 * Unpacks layers into the graph driver once per chain id. The driver is safe for different chain ids at once; two
 * pulls needing the same chain id at the same moment share one unpacking here.
 */
@Component
@OnEngine
public class ImageLayers {

    private final GraphDriver graph;
    private final ImageStore images;
    private final Map<Digest, CompletableFuture<Long>> unpacking = new ConcurrentHashMap<>();

    public ImageLayers(GraphDriver graph, ImageStore images) {
        this.graph = graph;
        this.images = images;
    }

    public boolean has(Digest chainId) {
        return graph.hasLayer(chainId.toString());
    }

    /**
     * Unpacks {@code blob} as {@code chainId} over {@code parent} unless the driver has it; returns the unpacked
     * size. {@code progress} hears how many compressed bytes were read so far.
     */
    public long unpack(Digest chainId, Digest parent, Digest diffId, Path blob, LongConsumer progress)
            throws IOException {
        CompletableFuture<Long> mine = new CompletableFuture<>();
        CompletableFuture<Long> running = unpacking.putIfAbsent(chainId, mine);
        if (running != null) {
            return await(running, chainId);
        }
        try {
            long size;
            if (graph.hasLayer(chainId.toString())) {
                size = existingSize(chainId);
            } else {
                try (InputStream in = new CountingInputStream(Files.newInputStream(blob), progress)) {
                    size = graph.createLayer(chainId.toString(), parent == null ? null : parent.toString(), diffId, in);
                }
            }
            mine.complete(size);
            return size;
        } catch (IOException | RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            unpacking.remove(chainId, mine);
        }
    }

    /** The unpacked size of a layer already in the driver: as recorded by an image, else measured on disk. */
    public long existingSize(Digest chainId) throws IOException {
        var recorded = images.layerSize(chainId);
        if (recorded.isPresent()) {
            return recorded.get();
        }
        Path dir = graph.layerPath(chainId.toString());
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        long size = 0;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.toList()) { // as the unpacker counts: file content and symlink targets
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class,
                        LinkOption.NOFOLLOW_LINKS);
                if (attributes.isRegularFile() || attributes.isSymbolicLink()) {
                    size += attributes.size();
                }
            }
        }
        return size;
    }

    public void remove(Digest chainId) throws IOException {
        graph.removeLayer(chainId.toString());
    }

    private static long await(CompletableFuture<Long> running, Digest chainId) throws IOException {
        try {
            return running.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for layer " + chainId, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException(e.getCause());
        }
    }
}
