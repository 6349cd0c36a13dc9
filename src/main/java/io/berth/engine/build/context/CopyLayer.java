package io.berth.engine.build.context;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import io.berth.common.error.BerthException;
import io.berth.common.error.ErrorKind;
import io.berth.engine.graph.FileTrees;
import io.berth.engine.graph.LayerTarWriter;
import io.berth.engine.graph.LayerUnpacker;
import io.berth.engine.graph.TarBlocks;
import io.berth.engine.runtime.spec.RootfsPaths;

/**
 * Writes the layer of a {@code COPY} or {@code ADD} straight from its sources, without a container, as the classic
 * builder's copy would leave the file system: a directory's contents go into the destination, a file into it when it
 * ends with {@code /} or is an existing directory (else it becomes the destination), a local tar archive of
 * {@code ADD} is extracted into it (its entries keep their owners). Copies are owned by root, or by {@code --chown};
 * {@code --chmod} replaces their permissions; modification times are kept. The destination is resolved through the
 * image's symlinks ({@code /lib} may be {@code usr/lib}); each directory on the way is written with the image's own
 * metadata, so the layer changes nothing it does not copy; missing ones are created (0755, owned as the copies, dated
 * 1970-01-01 so that equal sources give equal layers).
 */
public final class CopyLayer {

    /** The date of directories a copy creates: fixed, so that a layer depends on its sources only. */
    static final Instant CREATED = Instant.EPOCH;

    /**
     * One {@code COPY}/{@code ADD}, its values substituted and resolved.
     *
     * @param destination absolute (WORKDIR applied, see {@link #destination}); a trailing {@code /} means a directory
     * @param chown       null for root
     * @param chmod       null to keep the sources' permissions
     * @param scratch     an empty directory ADD may extract archives into; deleted by the caller
     */
    public record Copy(List<CopySources.Source> sources, String destination, boolean add, Chown chown, Integer chmod,
            Path scratch) {
    }

    private final LayerTarWriter tar;
    private final Path image;
    private final Set<String> written = new HashSet<>();

    private CopyLayer(LayerTarWriter tar, Path image) {
        this.tar = tar;
        this.image = image;
    }

    /**
     * The destination of {@code dest} in a stage whose working directory is {@code workdir} (empty: {@code /}),
     * cleaned, keeping the trailing {@code /} that says "a directory".
     */
    public static String destination(String dest, String workdir) {
        boolean directory = dest.endsWith("/") || dest.endsWith("/.") || dest.equals(".");
        String absolute = dest.startsWith("/") ? dest : (workdir == null || workdir.isEmpty() ? "/" : workdir) + "/"
                + dest;
        String cleaned = GoPaths.clean(absolute);
        return directory && !cleaned.equals("/") ? cleaned + "/" : cleaned;
    }

    /**
     * Writes the copy's entries into {@code tar}.
     *
     * @param image the stage's file system before the copy (a read-only view), to resolve the destination and take
     *              the metadata of the directories on its way
     */
    public static void write(LayerTarWriter tar, Path image, Copy copy) throws IOException {
        if (copy.sources().size() > 1 && !copy.destination().endsWith("/")) {
            throw new BerthException(ErrorKind.INVALID, "When using " + (copy.add() ? "ADD" : "COPY") + " with more "
                    + "than one source file, the destination must be a directory and end with a /");
        }
        new CopyLayer(tar, image).copyAll(copy);
    }

    private void copyAll(Copy copy) throws IOException {
        Chown owner = copy.chown() == null ? Chown.ROOT : copy.chown();
        LayerTarWriter.Overrides overrides = new LayerTarWriter.Overrides(owner.uid(), owner.gid(), copy.chmod());
        String destination = copy.destination();
        boolean intoDirectory = destination.endsWith("/") || isDirectoryInImage(destination);
        int archives = 0;
        for (CopySources.Source source : copy.sources()) {
            if (source.directory()) {
                String target = directory(destination, owner, source.path());
                contents(source.path(), target, overrides);
            } else if (copy.add() && isArchive(source.path())) {
                Path extracted = Files.createDirectory(copy.scratch().resolve("archive-" + archives++));
                try (InputStream in = Files.newInputStream(source.path(), LinkOption.NOFOLLOW_LINKS)) {
                    LayerUnpacker.unpackArchive(LayerUnpacker.decompressed(in), extracted, null);
                } catch (io.berth.engine.graph.InvalidLayerException e) {
                    throw new BerthException(ErrorKind.INVALID, "ADD " + source.name() + ": " + e.getMessage());
                }
                String target = directory(destination, owner, null);
                contents(extracted, target, LayerTarWriter.Overrides.NONE);
                FileTrees.deleteTree(extracted);
            } else {
                String file = intoDirectory ? trimSlash(destination) + "/" + source.baseName() : destination;
                String target = resolved(file);
                parents(target, owner);
                tar.add(target, source.path(), overrides, null);
                written.add(target);
            }
        }
    }

    /**
     * The directory {@code destination} names, written: the image's own when it has it, else created with the source
     * directory's permissions and time (0755 and {@link #CREATED} without one) and the copy's owner. Returns its path
     * in the layer.
     */
    private String directory(String destination, Chown owner, Path sourceDirectory) throws IOException {
        String target = resolved(trimSlash(destination));
        if (target.isEmpty()) {
            return "";
        }
        parents(target, owner);
        if (written.add(target)) {
            Path existing = image.resolve(target);
            BasicFileAttributes attributes = FileTrees.attributes(existing);
            if (attributes != null && attributes.isDirectory()) {
                tar.add(target, existing, LayerTarWriter.Overrides.NONE, null);
            } else if (attributes != null) {
                throw notADirectory(destination, target);
            } else if (sourceDirectory != null) {
                tar.add(target, sourceDirectory, new LayerTarWriter.Overrides(owner.uid(), owner.gid(), null), null);
            } else {
                tar.directory(target, 0755, owner.uid(), owner.gid(), CREATED);
            }
        }
        return target;
    }

    /** What is below {@code source}, in name order, under {@code target}. */
    private void contents(Path source, String target, LayerTarWriter.Overrides overrides) throws IOException {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(source)) {
            paths = walk.filter(path -> !path.equals(source)).sorted().toList();
        }
        for (Path path : paths) {
            String name = (target.isEmpty() ? "" : target + "/") + source.relativize(path);
            if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) && !written.add(name)) {
                continue;
            }
            tar.add(name, path, overrides, null);
        }
    }

    /** The directories above {@code target}, each once: the image's own, or new ones. */
    private void parents(String target, Chown owner) throws IOException {
        int slash = target.indexOf('/');
        while (slash > 0) {
            String parent = target.substring(0, slash);
            if (written.add(parent)) {
                Path existing = image.resolve(parent);
                BasicFileAttributes attributes = FileTrees.attributes(existing);
                if (attributes == null) {
                    tar.directory(parent, 0755, owner.uid(), owner.gid(), CREATED);
                } else if (attributes.isDirectory()) {
                    tar.add(parent, existing, LayerTarWriter.Overrides.NONE, null);
                } else {
                    throw notADirectory(target, parent);
                }
            }
            slash = target.indexOf('/', slash + 1);
        }
    }

    /** {@code path} (absolute, in the image) with the image's symlinks resolved, relative to the root. */
    private String resolved(String path) throws IOException {
        Path host = RootfsPaths.resolve(image, path);
        return image.relativize(host).toString();
    }

    private boolean isDirectoryInImage(String path) throws IOException {
        return Files.isDirectory(RootfsPaths.resolve(image, path), LinkOption.NOFOLLOW_LINKS);
    }

    /** A tar archive, plain or compressed, as dockerd recognises one: its first block is a tar header. */
    private static boolean isArchive(Path file) throws IOException {
        try (InputStream in = LayerUnpacker.decompressed(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS))) {
            byte[] block = in.readNBytes(TarBlocks.BLOCK);
            boolean zeros = true;
            for (byte b : block) {
                zeros &= b == 0;
            }
            return block.length == TarBlocks.BLOCK && !zeros && TarBlocks.isHeader(block);
        } catch (IOException e) {
            return false; // not decompressible: an ordinary file
        }
    }

    private static BerthException notADirectory(String destination, String existing) {
        return new BerthException(ErrorKind.INVALID, "cannot copy to " + destination + ": /" + existing
                + " is not a directory in the image");
    }

    private static String trimSlash(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
