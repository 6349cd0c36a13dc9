package io.berth.engine.graph;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes one layer's tar (uncompressed) in Docker's form: names relative to the layer root without a leading
 * {@code ./}, directories ending in {@code /}, numeric owners without names, modification times in whole seconds and
 * no access or change times, extended attributes as PAX records (except overlayfs's own and SELinux labels, which
 * belong to the machine, not to the image), hard links between entries of the layer kept as hard links, whiteouts as
 * {@code .wh.<name>} and opaque directories as {@code .wh..wh..opq} entries. Sockets are left out: a tar cannot carry
 * them. Never follows a symlink.
 *
 * <p>The caller adds entries in the order they should appear, parents before their children; equal input gives equal
 * bytes.
 */
public final class LayerTarWriter implements Closeable {

    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFLNK = 0120000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFIFO = 0010000;

    /** What replaces a file's own owner and permissions ({@code COPY --chown}, {@code --chmod}); null keeps them. */
    public record Overrides(Long uid, Long gid, Integer mode) {

        public static final Overrides NONE = new Overrides(null, null, null);
    }

    private final TarWriter tar;
    /** "dev:ino" of files with several links -> the name of their first entry. */
    private final Map<String, String> linked = new HashMap<>();
    private boolean finished;

    public LayerTarWriter(OutputStream out) {
        this.tar = new TarWriter(out);
    }

    /**
     * Adds what {@code path} is (a file, directory, symlink, device or fifo, the link itself for a symlink) as entry
     * {@code name}, with its owner, mode, modification time and xattrs unless {@code overrides} replaces them.
     * {@code mtime} replaces the modification time when not null. A file with several links whose inode was added
     * before becomes a hard link to that first entry.
     */
    public void add(String name, Path path, Overrides overrides, Instant mtime) throws IOException {
        Map<String, Object> unix = Files.readAttributes(path, "unix:mode,uid,gid,size,rdev,ino,dev,nlink,"
                + "lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) unix.get("mode");
        int type = mode & S_IFMT;
        long uid = overrides.uid() != null ? overrides.uid() : ((Integer) unix.get("uid")).longValue();
        long gid = overrides.gid() != null ? overrides.gid() : ((Integer) unix.get("gid")).longValue();
        int permissions = overrides.mode() != null ? overrides.mode() & 07777 : mode & 07777;
        long seconds = mtime != null ? mtime.getEpochSecond()
                : Math.floorDiv(((FileTime) unix.get("lastModifiedTime")).toMillis(), 1000);
        String entryName = relative(name);
        switch (type) {
            case S_IFREG -> {
                if ((Integer) unix.get("nlink") > 1) {
                    String first = linked.putIfAbsent(unix.get("dev") + ":" + unix.get("ino"), entryName);
                    if (first != null) {
                        tar.write(new TarWriter.Header(entryName, TarWriter.HARD_LINK, permissions, uid, gid, 0,
                                seconds, first, 0, 0, Map.of()), InputStream.nullInputStream());
                        return;
                    }
                }
                long size = (Long) unix.get("size");
                try (InputStream content = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
                    tar.write(new TarWriter.Header(entryName, TarWriter.REGULAR, permissions, uid, gid, size, seconds,
                            null, 0, 0, xattrs(path)), content);
                }
            }
            case S_IFDIR -> tar.write(new TarWriter.Header(directoryName(entryName), TarWriter.DIRECTORY,
                    permissions, uid, gid, 0, seconds, null, 0, 0, xattrs(path)), InputStream.nullInputStream());
            case S_IFLNK -> tar.write(new TarWriter.Header(entryName, TarWriter.SYMLINK, mode & 07777, uid, gid, 0,
                    seconds, Libc.readlink(path.toString()), 0, 0, xattrs(path)), InputStream.nullInputStream());
            case S_IFCHR, S_IFBLK, S_IFIFO -> {
                long rdev = (Long) unix.get("rdev");
                byte tarType = type == S_IFCHR ? TarWriter.CHAR_DEVICE : type == S_IFBLK ? TarWriter.BLOCK_DEVICE
                        : TarWriter.FIFO;
                tar.write(new TarWriter.Header(entryName, tarType, permissions, uid, gid, 0, seconds, null,
                        type == S_IFIFO ? 0 : Libc.major(rdev), type == S_IFIFO ? 0 : Libc.minor(rdev),
                        xattrs(path)), InputStream.nullInputStream());
            }
            default -> {
                // a socket: no content a layer can hold
            }
        }
    }

    /** A directory that exists in no file here (a parent a COPY creates). */
    public void directory(String name, int mode, long uid, long gid, Instant mtime) throws IOException {
        tar.write(new TarWriter.Header(directoryName(relative(name)), TarWriter.DIRECTORY, mode & 07777, uid, gid, 0,
                mtime.getEpochSecond(), null, 0, 0, Map.of()), InputStream.nullInputStream());
    }

    /** A regular file whose content comes from a stream of {@code size} bytes. */
    public void file(String name, int mode, long uid, long gid, Instant mtime, long size, InputStream content)
            throws IOException {
        tar.write(new TarWriter.Header(relative(name), TarWriter.REGULAR, mode & 07777, uid, gid, size,
                mtime.getEpochSecond(), null, 0, 0, Map.of()), content);
    }

    /**
     * Marks {@code name} deleted: the entry {@code .wh.<base>} beside it, an empty regular file, as Docker writes it for
     * overlayfs's character-device whiteouts (mode 0600, the whiteout's owner and time).
     */
    public void whiteout(String name, long uid, long gid, Instant mtime) throws IOException {
        String entry = relative(name);
        int slash = entry.lastIndexOf('/');
        String whiteout = entry.substring(0, slash + 1) + LayerUnpacker.WHITEOUT_PREFIX + entry.substring(slash + 1);
        tar.write(new TarWriter.Header(whiteout, TarWriter.REGULAR, 0600, uid, gid, 0, mtime.getEpochSecond(), null,
                0, 0, Map.of()), InputStream.nullInputStream());
    }

    /**
     * Marks directory {@code name} opaque (nothing of the layers below shows through): the entry
     * {@code <name>/.wh..wh..opq}, which inherits the directory's permissions, owner and time.
     */
    public void opaque(String name, int mode, long uid, long gid, Instant mtime) throws IOException {
        tar.write(new TarWriter.Header(directoryName(relative(name)) + LayerUnpacker.OPAQUE_MARKER, TarWriter.REGULAR,
                mode & 0777, uid, gid, 0, mtime.getEpochSecond(), null, 0, 0, Map.of()), InputStream.nullInputStream());
    }

    /** Writes the end-of-archive marker (once); the underlying stream stays open. */
    @Override
    public void close() throws IOException {
        if (!finished) {
            finished = true;
            tar.finish();
        }
    }

    /** The xattrs a layer carries: not overlayfs's (they steer the mount) nor SELinux labels (the host's). */
    static Map<String, byte[]> xattrs(Path path) throws IOException {
        Map<String, byte[]> xattrs = new TreeMap<>();
        for (String name : Libc.llistxattr(path.toString())) {
            if (name.startsWith("trusted.overlay.") || name.equals("security.selinux")) {
                continue;
            }
            byte[] value = Libc.lgetxattr(path.toString(), name);
            if (value != null) {
                xattrs.put(name, value);
            }
        }
        return xattrs;
    }

    private static String relative(String name) {
        String relative = name;
        while (relative.startsWith("/") || relative.startsWith("./")) {
            relative = relative.startsWith("/") ? relative.substring(1) : relative.substring(2);
        }
        if (relative.isEmpty() || relative.equals(".")) {
            throw new IllegalArgumentException("a layer entry needs a name below the root, not \"" + name + "\"");
        }
        return relative;
    }

    private static String directoryName(String name) {
        return name.endsWith("/") ? name : name + "/";
    }
}
