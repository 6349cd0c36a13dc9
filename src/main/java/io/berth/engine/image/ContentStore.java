package io.berth.engine.image;

import static io.berth.common.error.ErrorKind.FAILED;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import jakarta.annotation.PreDestroy;

import org.springframework.stereotype.Component;

import io.berth.common.BerthProperties;
import io.berth.common.Digest;
import io.berth.common.DigestAlgorithm;
import io.berth.common.error.BerthException;
import io.berth.common.oci.Descriptor;
import io.berth.engine.OnEngine;

/**
 * Blobs by digest under {@code <data-dir>/engine/content/sha256/<hex>}: manifests, configs and compressed layers.
 * A blob is written to a temporary file while it is hashed, checked against its descriptor (digest and size), fsynced
 * and renamed into place, so a name always holds exactly the bytes it names. At most {@value #PARALLEL_DOWNLOADS}
 * downloads run at once (as dockerd's max-concurrent-downloads), and a blob being downloaded is awaited by anyone else
 * who needs it rather than fetched twice.
 */
@Component
@OnEngine
public class ContentStore {

    /** A source of a blob's bytes, opened when the download actually starts. */
    public interface BlobSource {
        InputStream open() throws IOException;
    }

    /** Told about a download's progress from the downloading thread. */
    public interface DownloadListener {
        void progress(long current, long total);

        DownloadListener NONE = (current, total) -> { };
    }

    static final int PARALLEL_DOWNLOADS = 3;
    private static final int BUFFER = 64 * 1024;

    private final Path root;
    private final Path temp;
    private final Semaphore slots = new Semaphore(PARALLEL_DOWNLOADS);
    private final Map<Digest, CompletableFuture<Path>> inFlight = new ConcurrentHashMap<>();
    private final Map<Digest, AtomicInteger> downloads = new ConcurrentHashMap<>();
    private final Map<Digest, Integer> leases = new java.util.HashMap<>();
    private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "engine-download");
        thread.setDaemon(true);
        return thread;
    });

    public ContentStore(BerthProperties berth) throws IOException {
        Path content = berth.dataDir().resolve("engine").resolve("content");
        this.root = Files.createDirectories(content.resolve("sha256"));
        this.temp = Files.createDirectories(content.resolve("tmp"));
        // Leftovers of downloads a crash interrupted: never named by a digest, so safe to drop.
        try (Stream<Path> leftovers = Files.list(temp)) {
            for (Path leftover : leftovers.toList()) {
                Files.deleteIfExists(leftover);
            }
        }
    }

    public Path path(Digest digest) {
        if (digest.algorithm() != DigestAlgorithm.SHA256) {
            throw new BerthException(FAILED, "unsupported digest algorithm: " + digest);
        }
        return root.resolve(digest.hex());
    }

    public boolean has(Digest digest) {
        return Files.isRegularFile(path(digest));
    }

    /**
     * The blob {@code descriptor} names, downloaded from {@code source} unless it is here already or being
     * downloaded for someone else (then that download is awaited). Completes exceptionally with
     * a {@link BerthException} when the bytes do not match; nothing is stored then.
     */
    public CompletableFuture<Path> fetch(Descriptor descriptor, BlobSource source, DownloadListener listener) {
        Digest digest = descriptor.digest();
        if (has(digest)) {
            return CompletableFuture.completedFuture(path(digest));
        }
        CompletableFuture<Path> mine = new CompletableFuture<>();
        CompletableFuture<Path> running = inFlight.putIfAbsent(digest, mine);
        if (running != null) {
            return running;
        }
        executor.execute(() -> {
            try {
                slots.acquire();
                try {
                    // Another download may have stored it between the check above and this slot.
                    mine.complete(has(digest) ? path(digest) : download(descriptor, source, listener));
                } finally {
                    slots.release();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                mine.completeExceptionally(new BerthException(FAILED, "download of " + digest + " interrupted", e));
            } catch (Throwable e) {
                mine.completeExceptionally(e);
            } finally {
                inFlight.remove(digest, mine);
            }
        });
        return mine;
    }

    /** Stores small content held in memory (a manifest or config), verified against its descriptor. */
    public Path put(Descriptor descriptor, byte[] content) {
        if (has(descriptor.digest())) {
            return path(descriptor.digest());
        }
        try {
            return download(descriptor, () -> new java.io.ByteArrayInputStream(content), DownloadListener.NONE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new empty file beside the blobs (same file system), for content made here rather than downloaded. */
    public Path newTempFile(String prefix) throws IOException {
        return Files.createTempFile(temp, prefix, ".partial");
    }

    /**
     * Stores {@code file} (from {@link #newTempFile}) as the blob {@code descriptor} names: its caller computed the
     * digest while writing it. Renamed into place atomically; a blob already here wins and the file is deleted.
     */
    public Path adopt(Descriptor descriptor, Path file) throws IOException {
        Digest digest = descriptor.digest();
        if (Files.size(file) != descriptor.size()) {
            throw new IOException("blob " + digest + " has " + Files.size(file) + " bytes, its descriptor announces "
                    + descriptor.size());
        }
        if (has(digest)) {
            Files.deleteIfExists(file);
            return path(digest);
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        move(file, path(digest));
        return path(digest);
    }

    public byte[] read(Digest digest) {
        try {
            return Files.readAllBytes(path(digest));
        } catch (NoSuchFileException e) {
            throw new ImageNotFoundException(digest.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes a blob, unless a pull in progress leases it (it will be kept or cleaned up by that pull). */
    public synchronized void delete(Digest digest) throws IOException {
        if (leases.containsKey(digest)) {
            return;
        }
        Files.deleteIfExists(path(digest));
    }

    /**
     * Marks blobs as needed by a pull in progress, so that a failing pull's clean-up ({@link #release}) leaves them
     * to the others.
     */
    public synchronized void lease(java.util.Collection<Digest> digests) {
        digests.forEach(digest -> leases.merge(digest, 1, Integer::sum));
    }

    /**
     * Ends a pull's lease; a blob no other pull leases and that {@code keep} rejects is deleted (a failed pull's
     * downloads that no image uses). In-flight downloads of such blobs are awaited first.
     */
    public void release(java.util.Collection<Digest> digests, java.util.function.Predicate<Digest> keep) {
        for (Digest digest : digests) {
            CompletableFuture<Path> running = inFlight.get(digest);
            if (running != null) {
                running.handle((path, error) -> null).join();
            }
        }
        synchronized (this) {
            for (Digest digest : digests) {
                if (leases.merge(digest, -1, Integer::sum) <= 0) {
                    leases.remove(digest);
                    if (!keep.test(digest)) {
                        try {
                            delete(digest);
                        } catch (IOException e) {
                            throw new UncheckedIOException("cannot delete blob " + digest, e);
                        }
                    }
                }
            }
        }
    }

    /** How many times blob {@code digest} was downloaded (not awaited, not found present) since start. */
    public int downloadCount(Digest digest) {
        AtomicInteger count = downloads.get(digest);
        return count == null ? 0 : count.get();
    }

    private Path download(Descriptor descriptor, BlobSource source, DownloadListener listener) throws IOException {
        Digest expected = descriptor.digest();
        downloads.computeIfAbsent(expected, d -> new AtomicInteger()).incrementAndGet();
        Path target = path(expected);
        Path partial = Files.createTempFile(temp, expected.hex() + "-", ".partial");
        boolean stored = false;
        try {
            long written = 0;
            try (DigestInputStream in = new DigestInputStream(source.open(), expected.algorithm().newMessageDigest());
                 FileChannel out = FileChannel.open(partial, StandardOpenOption.WRITE)) {
                byte[] buffer = new byte[BUFFER];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    written += n;
                    if (written > descriptor.size()) {
                        throw new BerthException(FAILED, "digest mismatch for " + expected + ": more than the "
                                + descriptor.size() + " bytes its descriptor announces");
                    }
                    ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
                    while (chunk.hasRemaining()) {
                        out.write(chunk);
                    }
                    listener.progress(written, descriptor.size());
                }
                if (written != descriptor.size()) {
                    throw new BerthException(FAILED, "digest mismatch for " + expected + ": got " + written
                            + " bytes, its descriptor announces " + descriptor.size());
                }
                Digest actual = Digest.fromBytes(expected.algorithm(), in.getMessageDigest().digest());
                if (!actual.equals(expected)) {
                    throw new BerthException(FAILED, "digest mismatch for " + expected + ": the registry sent "
                            + "content whose digest is " + actual);
                }
                out.force(true);
            }
            move(partial, target);
            stored = true;
            return target;
        } finally {
            if (!stored) {
                Files.deleteIfExists(partial);
            }
        }
    }

    private void move(Path partial, Path target) throws IOException {
        try {
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename " + partial + " atomically into " + root, e);
        }
        // The rename itself is durable only once the directory is synced.
        try (FileChannel dir = FileChannel.open(root, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // Some file systems refuse fsync on directories; the blob itself is synced.
        }
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }
}
