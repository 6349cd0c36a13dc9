package io.berth.engine.build.context;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import io.berth.common.error.BerthException;
import io.berth.common.error.ErrorKind;
import io.berth.engine.graph.ArchivePaths;
import io.berth.engine.runtime.spec.RootfsPaths;

/**
 * The sources of a {@code COPY} or {@code ADD}, as the classic builder finds them: paths relative to the root of the
 * build context (a leading {@code /} is that root too), wildcards matched against every path of the context with Go's
 * {@code filepath.Match} rules, a source that is a symlink followed to what it names. From the build context, a path
 * that leaves it (through {@code ..} or through a symlink pointing out of it, absolute or relative) is refused; from
 * an image ({@code COPY --from}), symlinks resolve inside the image's root as they would in a container.
 */
public final class CopySources {

    /** Where the sources come from, which decides how their symlinks may go. */
    public enum Origin {
        /** The build context: a path may not leave it, through {@code ..} or a symlink. */
        CONTEXT,
        /** An image or an earlier stage: symlinks resolve inside its root, as in a container. */
        IMAGE
    }

    /**
     * One source: {@code name} as matched (relative to the root, cleaned; what a file copied into a directory is named
     * after), and {@code path} on disk with symlinks resolved.
     */
    public record Source(String name, Path path, boolean directory) {

        /** The last component of the name: a file's name in its destination directory. */
        public String baseName() {
            int slash = name.lastIndexOf('/');
            return slash < 0 ? name : name.substring(slash + 1);
        }
    }

    private CopySources() {
    }

    /**
     * The sources {@code patterns} name below {@code root}, in the order given (each wildcard's matches in path
     * order).
     *
     * @param keyword {@code COPY} or {@code ADD}, for messages
     * @throws BerthException ({@link ErrorKind#INVALID}) with dockerd's words for a URL, a path outside the context,
     *         a missing file or a wildcard that matches nothing
     */
    public static List<Source> resolve(Path root, List<String> patterns, Origin origin, String keyword)
            throws IOException {
        List<Source> sources = new ArrayList<>();
        for (String pattern : patterns) {
            if (isUrl(pattern)) {
                throw new BerthException(ErrorKind.INVALID, keyword.equals("ADD")
                        ? "ADD from a URL (" + pattern + ") is not supported by this Engine: download the file into "
                                + "the build context, or fetch it in a RUN step"
                        : "source can't be a URL for COPY");
            }
            String cleaned = GoPaths.clean(pattern.startsWith("/") ? pattern.substring(1) : pattern);
            if (cleaned.equals("..") || cleaned.startsWith("../")) {
                throw outside(pattern, null);
            }
            if (hasWildcards(cleaned)) {
                List<Source> matches = matches(root, cleaned, origin);
                sources.addAll(matches);
                continue;
            }
            String name = cleaned.equals(".") ? "" : cleaned;
            Path path = resolveIn(root, name, origin, pattern);
            BasicFileAttributes attributes = attributes(path);
            if (attributes == null) {
                throw new BerthException(ErrorKind.INVALID, "file not found in build context or excluded by "
                        + ".dockerignore: stat " + pattern + ": file does not exist");
            }
            sources.add(new Source(name, path, attributes.isDirectory()));
        }
        if (sources.isEmpty()) {
            throw new BerthException(ErrorKind.INVALID, "no source files were specified");
        }
        return sources;
    }

    /** dockerd's test: {@code http://} and {@code https://} sources are remote. */
    static boolean isUrl(String source) {
        String lower = source.toLowerCase(Locale.ROOT);
        return lower.startsWith("http://") || lower.startsWith("https://");
    }

    private static boolean hasWildcards(String path) {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '*' || c == '?' || c == '[') {
                return true;
            }
        }
        return false;
    }

    /** Every path below the root whose whole relative name matches {@code pattern}, in name order. */
    private static List<Source> matches(Path root, String pattern, Origin origin) throws IOException {
        try {
            GoPaths.validate(pattern);
        } catch (IllegalArgumentException e) {
            throw new BerthException(ErrorKind.INVALID, e.getMessage());
        }
        List<Source> matches = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.filter(p -> !p.equals(root)).sorted().toList()) {
                String name = root.relativize(path).toString();
                if (GoPaths.match(pattern, name)) {
                    Path resolved = resolveIn(root, name, origin, name);
                    BasicFileAttributes attributes = attributes(resolved);
                    if (attributes != null) {
                        matches.add(new Source(name, resolved, attributes.isDirectory()));
                    }
                }
            }
        }
        return matches;
    }

    /**
     * {@code name} below {@code root} with its symlinks followed: for an image inside its root whatever they say; for
     * the context only as long as they stay in it.
     */
    static Path resolveIn(Path root, String name, Origin origin, String asWritten) throws IOException {
        if (origin == Origin.IMAGE) {
            return RootfsPaths.resolve(root, name);
        }
        try {
            return ArchivePaths.resolve(root, name);
        } catch (ArchivePaths.OutsideException e) {
            throw outside(asWritten, e.link() == null ? null : e.link() + " is a symlink to " + e.target());
        }
    }

    private static BerthException outside(String path, String why) {
        return new BerthException(ErrorKind.INVALID, "forbidden path outside the build context: " + path
                + (why == null ? "" : " (" + why + ")"));
    }

    private static BasicFileAttributes attributes(Path path) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
    }
}
