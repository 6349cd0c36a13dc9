package io.berth.engine.build.context;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.zip.ZipException;

import io.berth.common.Digest;
import io.berth.common.error.BerthException;
import io.berth.common.error.ErrorKind;
import io.berth.engine.graph.FileTrees;
import io.berth.engine.graph.InvalidLayerException;
import io.berth.engine.graph.LayerUnpacker;
import io.berth.engine.graph.TarBlocks;
import io.berth.engine.runtime.spec.RootfsPaths;

/**
 * The build context of {@code POST /build}: the request body, a tar (plain, gzip, bzip2, xz or zstd), unpacked into a
 * directory of its own by the Engine's layer unpacker, which refuses every entry that would land outside it
 * ({@code ..}, absolute names, links out, entries through a symlink). The Dockerfile is found by the name the client
 * gave, in a subdirectory too (the docker CLI sends a Dockerfile from outside the context, or from {@code -f -}, as an
 * extra file {@code .dockerfile.<random>} it lists in {@code .dockerignore}). Then {@code .dockerignore} is applied:
 * what it excludes is removed, the Dockerfile and {@code .dockerignore} themselves included when they match, as
 * dockerd does after reading them. A body that is no tar is a Dockerfile without context, as {@code docker build - <
 * Dockerfile} means. Every file's content digest is taken while it is unpacked, for the build cache.
 */
public final class BuildContext implements AutoCloseable {

    static final String DEFAULT_DOCKERFILE = "Dockerfile";
    private static final String DOCKERIGNORE = ".dockerignore";
    private static final int MAX_DOCKERFILE = 16 << 20;

    private final Path workArea;
    private final Path root;
    private final String dockerfileName;
    private final String dockerfile;
    private final DockerIgnore ignore;
    private final Map<String, Digest> digests;

    private BuildContext(Path workArea, Path root, String dockerfileName, String dockerfile, DockerIgnore ignore,
            Map<String, Digest> digests) {
        this.workArea = workArea;
        this.root = root;
        this.dockerfileName = dockerfileName;
        this.dockerfile = dockerfile;
        this.ignore = ignore;
        this.digests = digests;
    }

    /**
     * Reads the context {@code body} into {@code workArea} (an empty directory the context then owns and deletes on
     * {@link #close}).
     *
     * @param dockerfilePath the {@code dockerfile} parameter: a path in the context; empty for {@code Dockerfile}
     *                       (or {@code dockerfile} when only that exists)
     * @throws BerthException ({@link ErrorKind#INVALID}) for a context it refuses or a missing Dockerfile; nothing is
     *         left in {@code workArea} then
     */
    public static BuildContext read(InputStream body, String dockerfilePath, Path workArea) throws IOException {
        Path root = Files.createDirectory(workArea.resolve("context"));
        try {
            Map<String, Digest> digests = new ConcurrentHashMap<>();
            InputStream decompressed;
            byte[] first;
            try {
                decompressed = LayerUnpacker.decompressed(body);
                first = decompressed.readNBytes(TarBlocks.BLOCK);
            } catch (ZipException | com.github.luben.zstd.ZstdIOException e) {
                throw invalid("the build context cannot be decompressed: " + e.getMessage());
            }
            if (first.length > 0 && !TarBlocks.isHeader(first)) {
                byte[] rest = decompressed.readNBytes(MAX_DOCKERFILE);
                if (decompressed.read() >= 0) {
                    throw invalid("the request body is neither a tar archive nor a Dockerfile of at most "
                            + MAX_DOCKERFILE + " bytes");
                }
                String text = new String(first, StandardCharsets.UTF_8) + new String(rest, StandardCharsets.UTF_8);
                return new BuildContext(workArea, root, DEFAULT_DOCKERFILE, text, DockerIgnore.NONE, digests);
            }
            try {
                LayerUnpacker.unpackArchive(new SequenceInputStream(new ByteArrayInputStream(first), decompressed),
                        root, digests::put);
            } catch (InvalidLayerException e) {
                throw invalid("invalid build context: " + e.getMessage());
            }
            String name = dockerfilePath == null || dockerfilePath.isEmpty() ? DEFAULT_DOCKERFILE : dockerfilePath;
            Path file = regularFile(root, name);
            if (file == null && (dockerfilePath == null || dockerfilePath.isEmpty())) {
                file = regularFile(root, "dockerfile");
                name = file == null ? name : "dockerfile";
            }
            if (file == null) {
                throw invalid("Cannot locate specified Dockerfile: " + name);
            }
            if (Files.size(file) > MAX_DOCKERFILE) {
                throw invalid("the Dockerfile " + name + " is larger than " + MAX_DOCKERFILE + " bytes");
            }
            String dockerfile = Files.readString(file, StandardCharsets.UTF_8);
            DockerIgnore ignore = DockerIgnore.NONE;
            Path ignoreFile = regularFile(root, DOCKERIGNORE);
            if (ignoreFile != null) {
                try {
                    ignore = DockerIgnore.parse(Files.readString(ignoreFile, StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    throw invalid("invalid " + DOCKERIGNORE + ": " + e.getMessage());
                }
            }
            BuildContext context = new BuildContext(workArea, root, name, dockerfile, ignore, digests);
            context.applyIgnore(root, "");
            return context;
        } catch (IOException | RuntimeException e) {
            deleteQuietly(root, e);
            throw e;
        }
    }

    /** The context's files (after {@code .dockerignore}). */
    public Path root() {
        return root;
    }

    /** The Dockerfile's text. */
    public String dockerfile() {
        return dockerfile;
    }

    public String dockerfileName() {
        return dockerfileName;
    }

    public DockerIgnore ignore() {
        return ignore;
    }

    /** The sha256 of a regular file's content as it was unpacked, by its path in the context. */
    public Optional<Digest> contentDigest(String relativePath) {
        return Optional.ofNullable(digests.get(relativePath));
    }

    @Override
    public void close() throws IOException {
        FileTrees.deleteTree(workArea);
    }

    /** Removes what {@code .dockerignore} excludes; an excluded directory stays for what an exception keeps in it. */
    private void applyIgnore(Path directory, String prefix) throws IOException {
        if (ignore.isEmpty()) {
            return;
        }
        java.util.List<Path> children;
        try (Stream<Path> list = Files.list(directory)) {
            children = list.sorted().toList();
        }
        for (Path child : children) {
            String relative = prefix + child.getFileName();
            BasicFileAttributes attributes = Files.readAttributes(child, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            boolean excluded = ignore.excludes(relative);
            if (attributes.isDirectory() && (!excluded || ignore.hasExceptions())) {
                applyIgnore(child, relative + "/");
                if (excluded && isEmpty(child)) {
                    Files.delete(child);
                }
            } else if (excluded) {
                FileTrees.deleteTree(child);
                digests.remove(relative);
            }
        }
    }

    private static boolean isEmpty(Path directory) throws IOException {
        try (Stream<Path> list = Files.list(directory)) {
            return list.findAny().isEmpty();
        }
    }

    /** The regular file at {@code name}, symlinks followed inside the context; null when there is none. */
    private static Path regularFile(Path root, String name) throws IOException {
        Path path = RootfsPaths.resolve(root, name);
        return Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) ? path : null;
    }

    private static BerthException invalid(String message) {
        return new BerthException(ErrorKind.INVALID, message);
    }

    private static void deleteQuietly(Path path, Throwable failure) {
        try {
            FileTrees.deleteTree(path);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }
}
