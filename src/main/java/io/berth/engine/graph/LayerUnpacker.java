package io.berth.engine.graph;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import com.github.luben.zstd.ZstdInputStream;

import io.berth.common.Digest;

/**
 * Streams one layer archive (gzip, zstd or plain tar) into a directory, verifying its diff id on the way.
 *
 * <p>The archive is untrusted: no entry may create, change or delete anything outside the directory. Names with an
 * absolute path or a {@code ..} component are refused, every parent directory is walked component by component and
 * refused if it is a symlink (so a symlink unpacked earlier cannot redirect a later entry), hard links must name a
 * file inside the directory reached the same way, and symlinks are created as data but never followed. Any refusal
 * or failure deletes the directory and throws, {@link InvalidLayerException} naming the entry for a bad archive.
 */
public final class LayerUnpacker {

    /** How whiteout entries ({@code .wh.<name>}, {@code .wh..wh..opq}) are handled. */
    public enum Whiteouts {
        /** Kept for overlayfs: {@code .wh.x} becomes a 0/0 character device x, opaque an xattr on the directory. */
        OVERLAY,
        /** Applied to the parent's tree the directory already holds (vfs): x is deleted, an opaque dir emptied. */
        APPLY,
        /** No whiteouts: {@code .wh.} names are ordinary files (a build context or an image archive is no layer). */
        LITERAL
    }

    /** Told the digest of each regular file's content as it is written, by its path relative to the root. */
    @FunctionalInterface
    public interface ContentDigests {
        void file(String relativePath, Digest sha256);
    }

    static final String WHITEOUT_PREFIX = ".wh.";
    static final String OPAQUE_MARKER = ".wh..wh..opq";
    static final String OVERLAY_OPAQUE_XATTR = "trusted.overlay.opaque";
    /** Xattrs that steer overlayfs itself; an archive must not be able to forge them. */
    private static final String OVERLAY_XATTR_PREFIX = "trusted.overlay.";

    private final Path root;
    private final Whiteouts whiteouts;
    private final ContentDigests digests;
    /** Paths this archive created or replaced, and their ancestors: what an opaque marker (APPLY) keeps. */
    private final Set<Path> unpacked = new HashSet<>();
    /** Directories' times, set last (in reverse) because creating entries inside a directory changes its mtime. */
    private final Map<Path, FileTime[]> directoryTimes = new LinkedHashMap<>();
    /** The layer's size as dockerd counts it (moby's directory.Size): file content and symlink targets. */
    private long bytes;

    private LayerUnpacker(Path root, Whiteouts whiteouts, ContentDigests digests) {
        this.root = root;
        this.whiteouts = whiteouts;
        this.digests = digests;
    }

    /**
     * Unpacks {@code archive} into {@code directory}, which must exist (empty, or for APPLY a copy of the parent
     * layer) and is deleted on failure. Returns the layer's size as dockerd reports it: the bytes of regular-file
     * content written plus the length of each symlink's target (a hard link adds nothing).
     */
    public static long unpack(InputStream archive, Digest expectedDiffId, Path directory, Whiteouts whiteouts)
            throws IOException {
        Path root = directory.toAbsolutePath().normalize();
        try {
            BasicFileAttributes rootAttributes = FileTrees.attributes(root);
            if (rootAttributes == null || !rootAttributes.isDirectory()) {
                throw new IOException("cannot unpack into " + root + ": not a directory");
            }
            LayerUnpacker unpacker = new LayerUnpacker(root, whiteouts, null);
            unpacker.run(archive, expectedDiffId);
            return unpacker.bytes;
        } catch (IOException | RuntimeException | Error e) {
            FileTrees.deleteTreeQuietly(root, e);
            throw e;
        }
    }

    /**
     * Unpacks an archive that is not a layer (a build context, an image archive to load) into the existing empty
     * {@code directory} with the same refusals, {@code .wh.} names as ordinary files and nothing to verify;
     * {@code digests} hears each file's content digest. The directory is deleted on failure.
     */
    public static long unpackArchive(InputStream archive, Path directory, ContentDigests digests) throws IOException {
        Path root = directory.toAbsolutePath().normalize();
        try {
            BasicFileAttributes rootAttributes = FileTrees.attributes(root);
            if (rootAttributes == null || !rootAttributes.isDirectory()) {
                throw new IOException("cannot unpack into " + root + ": not a directory");
            }
            LayerUnpacker unpacker = new LayerUnpacker(root, Whiteouts.LITERAL, digests);
            try {
                unpacker.run(archive, null);
            } catch (InvalidLayerException e) {
                throw new InvalidLayerException(e.getMessage().replaceFirst("^layer entry", "entry"), e);
            }
            return unpacker.bytes;
        } catch (IOException | RuntimeException | Error e) {
            FileTrees.deleteTreeQuietly(root, e);
            throw e;
        }
    }

    private void run(InputStream archive, Digest expectedDiffId) throws IOException {
        MessageDigest digest = (expectedDiffId == null ? io.berth.common.DigestAlgorithm.SHA256
                : expectedDiffId.algorithm()).newMessageDigest();
        try (DigestInputStream tarBytes = new DigestInputStream(decompressed(archive), digest)) {
            PaxTap tap = new PaxTap(tarBytes);
            TarArchiveInputStream tar = new TarArchiveInputStream(tap);
            TarArchiveEntry entry;
            while ((entry = nextEntry(tap, tar)) != null) {
                try {
                    unpack(entry, tar, xattrs(entry, tap.xattrs()));
                } catch (InvalidLayerException e) {
                    throw e;
                } catch (InvalidPathException e) {
                    throw InvalidLayerException.entry(entry.getName(), "not a valid path: " + e.getReason());
                } catch (IOException e) {
                    throw new IOException("unpacking layer entry \"" + entry.getName() + "\": " + e.getMessage(), e);
                }
                tar.transferTo(OutputStream.nullOutputStream()); // data of entries that do not use it (see PaxTap)
            }
            // The tar end marker may be followed by padding that is still part of the digested stream.
            tarBytes.transferTo(OutputStream.nullOutputStream());
        }
        Digest actual = Digest.fromBytes(digest.getAlgorithm().equals("SHA-512")
                ? io.berth.common.DigestAlgorithm.SHA512 : io.berth.common.DigestAlgorithm.SHA256, digest.digest());
        if (expectedDiffId != null && !actual.equals(expectedDiffId)) {
            throw new InvalidLayerException("layer diff id mismatch: the uncompressed archive is " + actual
                    + ", expected " + expectedDiffId);
        }
        List<Map.Entry<Path, FileTime[]>> directories = new ArrayList<>(directoryTimes.entrySet());
        for (int i = directories.size() - 1; i >= 0; i--) {
            Path directory = directories.get(i).getKey();
            BasicFileAttributes now = FileTrees.attributes(directory);
            if (now != null && now.isDirectory()) { // not since removed or replaced by a later entry
                FileTime[] times = directories.get(i).getValue();
                FileTrees.setTimes(directory, times[0], times[1]);
            }
        }
    }

    private static TarArchiveEntry nextEntry(PaxTap tap, TarArchiveInputStream tar) throws IOException {
        try {
            return tap.next(tar);
        } catch (IllegalArgumentException e) {
            throw new InvalidLayerException("malformed tar header in layer: " + e.getMessage(), e);
        }
    }

    /**
     * Picks the decompressor by magic bytes: gzip 1f 8b, zstd 28 b5 2f fd, bzip2 "BZh", xz fd "7zXZ" 00; anything
     * else is read as a plain tar.
     */
    public static InputStream decompressed(InputStream archive) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(archive, 1 << 16);
        buffered.mark(6);
        byte[] magic = buffered.readNBytes(6);
        buffered.reset();
        if (magic.length >= 3 && magic[0] == 'B' && magic[1] == 'Z' && magic[2] == 'h') {
            return new org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream(buffered, true);
        }
        if (magic.length == 6 && (magic[0] & 0xff) == 0xfd && magic[1] == '7' && magic[2] == 'z' && magic[3] == 'X'
                && magic[4] == 'Z' && magic[5] == 0) {
            return new org.apache.commons.compress.compressors.xz.XZCompressorInputStream(buffered, true);
        }
        if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            return new GZIPInputStream(buffered, 1 << 16);
        }
        if (magic.length >= 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5
                && (magic[2] & 0xff) == 0x2f && (magic[3] & 0xff) == 0xfd) {
            return new ZstdInputStream(buffered);
        }
        return buffered;
    }

    /** The entry's xattrs: raw bytes when the tap could read them, else commons-compress's UTF-8 decoding. */
    private static Map<String, byte[]> xattrs(TarArchiveEntry entry, Map<String, byte[]> raw) {
        if (raw != null) {
            return raw;
        }
        Map<String, byte[]> decoded = new LinkedHashMap<>();
        entry.getExtraPaxHeaders().forEach((key, value) -> {
            if (key.startsWith(PaxTap.XATTR_PREFIX)) {
                decoded.put(key.substring(PaxTap.XATTR_PREFIX.length()), value.getBytes(StandardCharsets.UTF_8));
            }
        });
        return decoded;
    }

    private void unpack(TarArchiveEntry entry, TarArchiveInputStream tar, Map<String, byte[]> xattrs)
            throws IOException {
        String name = entry.getName();
        if (entry.isGlobalPaxHeader() || entry.isPaxHeader()) {
            return; // commons-compress applies them itself
        }
        if (entry.isSparse()) {
            throw InvalidLayerException.entry(name, "sparse files are not supported in layers");
        }
        List<String> components = components(name, name);
        if (components.isEmpty()) {
            if (!entry.isDirectory()) {
                throw InvalidLayerException.entry(name, "the layer root can only be a directory");
            }
            metadata(root, entry, xattrs);
            return;
        }
        String base = components.get(components.size() - 1);
        Path parent = parentDirectory(name, components.subList(0, components.size() - 1), true);
        if (base.startsWith(WHITEOUT_PREFIX) && whiteouts != Whiteouts.LITERAL) {
            whiteout(name, parent, base);
            return;
        }
        Path target = parent.resolve(base);
        Path linkTarget = entry.isLink() ? hardLinkTarget(entry) : null;
        if (target.equals(linkTarget)) {
            throw InvalidLayerException.entry(name, "hard link to itself");
        }
        BasicFileAttributes existing = FileTrees.attributes(target);
        if (existing != null && !(existing.isDirectory() && entry.isDirectory())) {
            FileTrees.deleteTree(target); // replaces what a lower layer or an earlier entry put there
        }
        byte type = entry.getLinkFlag();
        String path = target.toString();
        if (entry.isDirectory()) {
            if (existing == null || !existing.isDirectory()) {
                Files.createDirectory(target);
            }
        } else if (entry.isSymbolicLink()) {
            if (entry.getLinkName().isEmpty()) {
                throw InvalidLayerException.entry(name, "symlink without a target");
            }
            Libc.symlink(entry.getLinkName(), path); // literal: a symlink is data, it may point anywhere
            bytes += entry.getLinkName().getBytes(StandardCharsets.UTF_8).length; // its lstat size
        } else if (linkTarget != null) {
            Libc.link(linkTarget.toString(), path);
            markUnpacked(target);
            return; // a hard link shares its target's inode and so its owner, mode, times and xattrs
        } else if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
            int fileType = entry.isCharacterDevice() ? Libc.S_IFCHR : entry.isBlockDevice() ? Libc.S_IFBLK
                    : Libc.S_IFIFO;
            Libc.mknod(path, fileType | (entry.getMode() & 07777), entry.getDevMajor(), entry.getDevMinor());
        } else if (type == TarConstants.LF_NORMAL || type == TarConstants.LF_OLDNORM
                || type == TarConstants.LF_CONTIG) {
            try (OutputStream file = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                if (digests == null) {
                    bytes += tar.transferTo(file);
                } else {
                    MessageDigest content = io.berth.common.DigestAlgorithm.SHA256.newMessageDigest();
                    bytes += tar.transferTo(new java.security.DigestOutputStream(file, content));
                    digests.file(root.relativize(target).toString(),
                            Digest.fromBytes(io.berth.common.DigestAlgorithm.SHA256, content.digest()));
                }
            }
        } else {
            throw InvalidLayerException.entry(name, "unsupported tar entry type '" + (char) type + "'");
        }
        markUnpacked(target);
        metadata(target, entry, xattrs);
    }

    /**
     * Splits an entry or link name into its components, refusing what could leave the layer: an absolute path or a
     * {@code ..} component. Empty and {@code .} components are dropped ({@code ./a//b} is {@code a/b}).
     */
    private static List<String> components(String entryName, String name) throws InvalidLayerException {
        if (name.startsWith("/")) {
            throw InvalidLayerException.entry(entryName, "absolute path \"" + name + "\" is not allowed");
        }
        List<String> components = new ArrayList<>();
        for (String component : name.split("/")) {
            if (component.equals("..")) {
                throw InvalidLayerException.entry(entryName, "path \"" + name + "\" has a \"..\" component");
            }
            if (component.indexOf('\0') >= 0) {
                throw InvalidLayerException.entry(entryName, "path contains a NUL byte");
            }
            if (!component.isEmpty() && !component.equals(".")) {
                components.add(component);
            }
        }
        return components;
    }

    /**
     * The directory reached from the root through {@code components}, each checked to be a real directory and not
     * a symlink; missing ones are created (mode 0755, root-owned, as Docker does) when {@code create}.
     */
    private Path parentDirectory(String entryName, List<String> components, boolean create) throws IOException {
        Path directory = root;
        for (String component : components) {
            directory = directory.resolve(component);
            BasicFileAttributes attributes = FileTrees.attributes(directory);
            if (attributes == null && create) {
                Files.createDirectory(directory);
                Libc.chmod(directory.toString(), 0755);
                markUnpacked(directory);
            } else if (attributes == null) {
                throw InvalidLayerException.entry(entryName, "\"" + root.relativize(directory) + "\" does not exist");
            } else if (attributes.isSymbolicLink()) {
                throw InvalidLayerException.entry(entryName, "\"" + root.relativize(directory)
                        + "\" is a symlink; entries may not be unpacked through one");
            } else if (!attributes.isDirectory()) {
                throw InvalidLayerException.entry(entryName, "\"" + root.relativize(directory) + "\" is not a directory");
            }
        }
        return directory;
    }

    /** A hard link's target: a path of the archive (relative to the root), reached without symlinks, not a dir. */
    private Path hardLinkTarget(TarArchiveEntry entry) throws IOException {
        String name = entry.getName();
        List<String> components = components(name, entry.getLinkName());
        if (components.isEmpty()) {
            throw InvalidLayerException.entry(name, "hard link to the layer root");
        }
        Path parent = parentDirectory(name, components.subList(0, components.size() - 1), false);
        Path target = parent.resolve(components.get(components.size() - 1));
        BasicFileAttributes attributes = FileTrees.attributes(target);
        if (attributes == null) {
            throw InvalidLayerException.entry(name, "hard link target \"" + entry.getLinkName() + "\" does not exist");
        }
        if (attributes.isDirectory()) {
            throw InvalidLayerException.entry(name, "hard link target \"" + entry.getLinkName() + "\" is a directory");
        }
        return target;
    }

    private void whiteout(String entryName, Path parent, String base) throws IOException {
        if (base.equals(OPAQUE_MARKER)) {
            if (whiteouts == Whiteouts.OVERLAY) {
                Libc.lsetxattr(parent.toString(), OVERLAY_OPAQUE_XATTR, new byte[] {'y'});
            } else {
                emptyLowerContents(parent);
            }
            markUnpacked(parent);
            return;
        }
        String hidden = base.substring(WHITEOUT_PREFIX.length());
        if (hidden.isEmpty() || hidden.equals(".") || hidden.equals("..") || hidden.startsWith(WHITEOUT_PREFIX)) {
            throw InvalidLayerException.entry(entryName, "whiteout of \"" + hidden + "\" is not allowed");
        }
        Path target = parent.resolve(hidden);
        FileTrees.deleteTree(target); // inside the checked parent; a symlink there is removed, not followed
        if (whiteouts == Whiteouts.OVERLAY) {
            Libc.mknod(target.toString(), Libc.S_IFCHR, 0, 0);
        }
    }

    /** Opaque directory in APPLY mode: deletes whatever below it this archive did not put there itself. */
    private void emptyLowerContents(Path directory) throws IOException {
        Files.walkFileTree(directory, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!dir.equals(directory) && !unpacked.contains(dir)) {
                    FileTrees.deleteTree(dir);
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (!unpacked.contains(file)) {
                    Files.delete(file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private void markUnpacked(Path path) {
        for (Path p = path; p != null && !p.equals(root) && unpacked.add(p); p = p.getParent()) {
            // ancestors too: an opaque marker must keep the directories that lead to this archive's entries
        }
    }

    /**
     * Owner, xattrs, mode, times, in that order: chown clears setuid/setgid and file capabilities, so the mode and
     * xattrs come after it. Symlinks get no chmod (it would follow them).
     */
    private void metadata(Path target, TarArchiveEntry entry, Map<String, byte[]> xattrs) throws IOException {
        String path = target.toString();
        Libc.lchown(path, entry.getLongUserId(), entry.getLongGroupId());
        for (Map.Entry<String, byte[]> xattr : xattrs.entrySet()) {
            if (!xattr.getKey().startsWith(OVERLAY_XATTR_PREFIX)) {
                Libc.lsetxattr(path, xattr.getKey(), xattr.getValue());
            }
        }
        if (!entry.isSymbolicLink()) {
            Libc.chmod(path, entry.getMode());
        }
        FileTime modified = entry.getLastModifiedTime();
        FileTime accessed = entry.getLastAccessTime();
        if (entry.isDirectory()) {
            directoryTimes.remove(target); // re-insert: the latest entry for a directory wins, in its new position
            directoryTimes.put(target, new FileTime[] {modified, accessed});
        } else {
            FileTrees.setTimes(target, modified, accessed);
        }
    }
}
