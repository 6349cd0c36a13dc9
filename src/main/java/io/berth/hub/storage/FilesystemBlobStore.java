package io.berth.hub.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.berth.common.Digest;
import io.berth.common.DigestAlgorithm;
import io.berth.common.Fsync;
import io.berth.common.InvalidDigestException;
import io.berth.common.OwnerOnly;

/**
 * Blobs as files under a root directory: {@code blobs/<algorithm>/<first two hex>/<hex>} for finished blobs and
 * {@code uploads/<id>/data} for uploads. Both areas are on the same file system so that committing an upload is an
 * atomic rename of a file that was fsynced first, followed by an fsync of the directory that holds the new name.
 * Directories are created 0700 and files 0600: the data dir is its owner's alone.
 */
public final class FilesystemBlobStore implements BlobStore {

    private static final Pattern UPLOAD_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final int BUFFER_SIZE = 256 * 1024;

    private final Path blobsDir;
    private final Path uploadsDir;
    private final WriteFailures failures = new WriteFailures();

    public FilesystemBlobStore(Path dataDir) throws IOException {
        this.blobsDir = OwnerOnly.createDirectories(dataDir.resolve("blobs"));
        this.uploadsDir = OwnerOnly.createDirectories(dataDir.resolve("uploads"));
    }

    /** Where finished blobs live. */
    public Path blobsDirectory() {
        return blobsDir;
    }

    /** Where uploads in progress live. */
    public Path uploadsDirectory() {
        return uploadsDir;
    }

    @Override
    public Optional<BlobContent> find(Digest digest) throws IOException {
        Path file = blobPath(digest);
        try {
            long size = Files.readAttributes(file, BasicFileAttributes.class).size();
            return Optional.of(new FileBlobContent(digest, size, file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<StoredBlob> stat(Digest digest) throws IOException {
        try {
            BasicFileAttributes attributes = Files.readAttributes(blobPath(digest), BasicFileAttributes.class);
            return Optional.of(new StoredBlob(digest, attributes.size(), attributes.lastModifiedTime().toInstant()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public void delete(Digest digest) throws IOException {
        failures.watch("delete " + digest, () -> Files.deleteIfExists(blobPath(digest)));
    }

    @Override
    public void forEachBlob(Consumer<StoredBlob> consumer) throws IOException {
        for (DigestAlgorithm algorithm : DigestAlgorithm.values()) {
            Path algorithmDir = blobsDir.resolve(algorithm.prefix());
            if (!Files.isDirectory(algorithmDir)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(algorithmDir, 2)) {
                files.filter(Files::isRegularFile).forEach(file -> {
                    Digest digest;
                    try {
                        digest = new Digest(algorithm, file.getFileName().toString());
                    } catch (InvalidDigestException e) {
                        return; // not ours (an editor's backup file, say): leave it alone
                    }
                    try {
                        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                        consumer.accept(new StoredBlob(digest, attributes.size(), attributes.lastModifiedTime().toInstant()));
                    } catch (NoSuchFileException e) {
                        // removed while we walked
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
    }

    @Override
    public void createUpload(String uploadId) throws IOException {
        Path dir = uploadDir(uploadId);
        failures.watch("create upload " + uploadId, () -> {
            OwnerOnly.createDirectories(dir);
            OwnerOnly.createFile(dir.resolve("data"));
        });
    }

    @Override
    public Optional<Long> uploadSize(String uploadId) throws IOException {
        try {
            return Optional.of(Files.size(uploadData(uploadId)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<Instant> uploadLastModified(String uploadId) throws IOException {
        try {
            return Optional.of(Files.getLastModifiedTime(uploadData(uploadId)).toInstant());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public long appendToUpload(String uploadId, InputStream in) throws IOException {
        try (FileChannel channel = FileChannel.open(uploadData(uploadId), StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            byte[] buffer = new byte[BUFFER_SIZE];
            ByteBuffer wrapped = ByteBuffer.wrap(buffer);
            long written = 0;
            int n;
            // Only the writes count as the store's failures: a client that stops sending is not one.
            while ((n = in.read(buffer)) != -1) {
                wrapped.clear().limit(n);
                failures.watch("write upload " + uploadId, () -> {
                    while (wrapped.hasRemaining()) {
                        channel.write(wrapped);
                    }
                });
                written += n;
            }
            return written;
        }
    }

    @Override
    public void truncateUpload(String uploadId, long size) throws IOException {
        failures.watch("truncate upload " + uploadId, () -> {
            try (FileChannel channel = FileChannel.open(uploadData(uploadId), StandardOpenOption.WRITE)) {
                channel.truncate(size);
            }
        });
    }

    @Override
    public InputStream openUpload(String uploadId) throws IOException {
        return Files.newInputStream(uploadData(uploadId));
    }

    @Override
    public void commitUpload(String uploadId, Digest digest) throws IOException {
        Path data = uploadData(uploadId);
        Path target = blobPath(digest);
        // A fresh modification time whenever a blob is (re)committed, so that a collection listing files at the same
        // moment sees a young file and leaves it alone.
        FileTime now = FileTime.fromMillis(System.currentTimeMillis());
        failures.watch("commit " + digest, () -> {
            if (Files.exists(target)) {
                // The bytes are there already (another push of the same blob, or a retried transaction).
                Files.setLastModifiedTime(target, now);
                return;
            }
            Fsync.file(data);
            Files.setLastModifiedTime(data, now);
            createDirectoriesDurably(target.getParent());
            moveAtomically(data, target);
            // The blob's name is durable only once its directory is: the caller acknowledges the push after this.
            Fsync.directory(target.getParent());
        });
        deleteUpload(uploadId);
    }

    @Override
    public Optional<WriteFailure> lastWriteFailure() {
        return failures.last();
    }

    @Override
    public void deleteUpload(String uploadId) throws IOException {
        Path dir = uploadDir(uploadId);
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    @Override
    public void forEachUpload(Consumer<StoredUpload> consumer) throws IOException {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(uploadsDir)) {
            for (Path dir : dirs) {
                String id = dir.getFileName().toString();
                if (!UPLOAD_ID.matcher(id).matches()) {
                    continue;
                }
                try {
                    Path data = dir.resolve("data");
                    Path newest = Files.exists(data) ? data : dir;
                    consumer.accept(new StoredUpload(id, Files.getLastModifiedTime(newest).toInstant()));
                } catch (NoSuchFileException e) {
                    // removed while we listed
                }
            }
        }
    }

    /** The absolute path of a blob (exposed for tests that check what is on disk). */
    public Path blobPath(Digest digest) {
        return blobsDir.resolve(digest.algorithm().prefix()).resolve(digest.hex().substring(0, 2)).resolve(digest.hex());
    }

    private Path uploadDir(String uploadId) {
        if (!UPLOAD_ID.matcher(uploadId).matches()) {
            throw new IllegalArgumentException("not an upload id: " + uploadId);
        }
        return uploadsDir.resolve(uploadId);
    }

    private Path uploadData(String uploadId) {
        return uploadDir(uploadId).resolve("data");
    }

    private static void moveAtomically(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("blobs and uploads must be on one file system for atomic commits: " + target, e);
        }
    }

    /** Creates a blob's directories 0700, each new one's name synced into its parent. */
    private static void createDirectoriesDurably(Path dir) throws IOException {
        List<Path> missing = new ArrayList<>();
        for (Path p = dir; p != null && !Files.isDirectory(p); p = p.getParent()) {
            missing.add(p);
        }
        OwnerOnly.createDirectories(dir);
        for (Path created : missing) {
            Fsync.directory(created.getParent());
        }
    }

    private record FileBlobContent(Digest digest, long size, Path file) implements BlobContent {

        @Override
        public Optional<Path> localFile() {
            return Optional.of(file);
        }

        @Override
        public InputStream open(long offset) throws IOException {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            channel.position(offset);
            return Channels.newInputStream(channel);
        }
    }
}
