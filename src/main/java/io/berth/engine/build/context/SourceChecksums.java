package io.berth.engine.build.context;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import io.berth.common.Digest;
import io.berth.common.DigestAlgorithm;

/**
 * What a {@code COPY} or {@code ADD} copies, as a checksum for the build cache and the history line, in the classic
 * builder's shapes: {@code file:<sha256>} for one file, {@code dir:<sha256>} for one directory, {@code multi:<sha256>}
 * over several sources. A file counts by its name in the copy, type, permissions, size, content and link target;
 * not by its owner (the copy sets that) nor its modification time (as dockerd's tarsum, so touching a file keeps the
 * cache).
 */
public final class SourceChecksums {

    private SourceChecksums() {
    }

    /**
     * @param knownDigests content digests already taken (the context's, by path relative to {@code root}); a file not
     *                     in it is read
     */
    public static String of(Path root, List<CopySources.Source> sources, Function<String, Digest> knownDigests)
            throws IOException {
        if (sources.size() == 1) {
            return single(root, sources.get(0), knownDigests);
        }
        MessageDigest all = DigestAlgorithm.SHA256.newMessageDigest();
        for (CopySources.Source source : sources) {
            all.update((single(root, source, knownDigests) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return "multi:" + Digest.fromBytes(DigestAlgorithm.SHA256, all.digest()).hex();
    }

    private static String single(Path root, CopySources.Source source, Function<String, Digest> known)
            throws IOException {
        MessageDigest digest = DigestAlgorithm.SHA256.newMessageDigest();
        if (!source.directory()) {
            entry(digest, "", source.path(), relative(root, source.path()), known);
            return "file:" + Digest.fromBytes(DigestAlgorithm.SHA256, digest.digest()).hex();
        }
        try (Stream<Path> walk = Files.walk(source.path())) {
            for (Path path : walk.sorted().toList()) {
                entry(digest, source.path().relativize(path).toString(), path, relative(root, path), known);
            }
        }
        return "dir:" + Digest.fromBytes(DigestAlgorithm.SHA256, digest.digest()).hex();
    }

    private static void entry(MessageDigest digest, String name, Path path, String inRoot,
            Function<String, Digest> known) throws IOException {
        Map<String, Object> unix = Files.readAttributes(path, "unix:mode,size", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) unix.get("mode");
        StringBuilder line = new StringBuilder(name).append('\0').append(Integer.toOctalString(mode)).append('\0');
        if (Files.isSymbolicLink(path)) {
            line.append(Files.readSymbolicLink(path));
        } else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
            line.append(unix.get("size")).append('\0').append(content(path, inRoot, known).hex());
        }
        digest.update(line.append('\n').toString().getBytes(StandardCharsets.UTF_8));
    }

    private static Digest content(Path path, String inRoot, Function<String, Digest> known) throws IOException {
        Digest recorded = inRoot == null ? null : known.apply(inRoot);
        if (recorded != null) {
            return recorded;
        }
        MessageDigest digest = DigestAlgorithm.SHA256.newMessageDigest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return Digest.fromBytes(DigestAlgorithm.SHA256, digest.digest());
    }

    private static String relative(Path root, Path path) {
        return path.startsWith(root) ? root.relativize(path).toString() : null;
    }
}
