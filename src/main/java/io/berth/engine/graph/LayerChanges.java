package io.berth.engine.graph;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What a container changed, written as a layer: from overlayfs's upper directory (its files are the changes; a 0/0
 * character device is a deletion, {@code trusted.overlay.opaque=y} an opaque directory; the Engine's mount points of
 * {@code /etc/hosts} and the like are left out), or for vfs from a comparison of
 * the container's tree with its image's. Entries in name order, parents first, so equal trees give equal layers.
 */
final class LayerChanges {

    private static final int S_IFMT = 0170000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFLNK = 0120000;
    private static final String ATTRIBUTES = "unix:mode,uid,gid,size,rdev,lastModifiedTime";

    private LayerChanges() {
    }

    /** The changes overlayfs recorded in {@code upper}. */
    static void fromUpper(Path upper, LayerTarWriter tar) throws IOException {
        walkUpper(upper, "", tar);
    }

    private static void walkUpper(Path directory, String prefix, LayerTarWriter tar) throws IOException {
        for (String child : sortedNames(directory)) {
            Path path = directory.resolve(child);
            String name = prefix + child;
            Map<String, Object> unix = Files.readAttributes(path, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
            int type = (Integer) unix.get("mode") & S_IFMT;
            if (FileChanges.isEngineMountPoint("/" + name, unix)) {
                continue; // a mount point of the Engine's network files, not the container's doing
            }
            if (type == S_IFCHR && (Long) unix.get("rdev") == 0) {
                tar.whiteout(name, uid(unix), gid(unix), mtime(unix));
                continue;
            }
            tar.add(name, path, LayerTarWriter.Overrides.NONE, null);
            if (type == S_IFDIR) {
                byte[] opaque = Libc.lgetxattr(path.toString(), LayerUnpacker.OVERLAY_OPAQUE_XATTR);
                if (opaque != null && opaque.length == 1 && opaque[0] == 'y') {
                    tar.opaque(name, (Integer) unix.get("mode"), uid(unix), gid(unix), mtime(unix));
                }
                walkUpper(path, name + "/", tar);
            }
        }
    }

    /**
     * The differences of {@code after} from {@code before} (null: nothing before): what is new or changed (type, mode,
     * owner, size, modification time, device, link target, xattrs) is added, what is gone gets a whiteout dated as
     * its directory's modification time in {@code after}.
     */
    static void fromTrees(Path before, Path after, LayerTarWriter tar) throws IOException {
        compare(before, after, "", tar);
    }

    private static void compare(Path before, Path after, String prefix, LayerTarWriter tar) throws IOException {
        TreeSet<String> names = new TreeSet<>(sortedNames(after));
        List<String> old = before == null ? List.of() : sortedNames(before);
        names.addAll(old);
        Map<String, Object> afterDirectory = null;
        for (String child : names) {
            String name = prefix + child;
            Path newPath = after.resolve(child);
            Path oldPath = before == null ? null : before.resolve(child);
            Map<String, Object> now = unixAttributes(newPath);
            Map<String, Object> was = oldPath == null ? null : unixAttributes(oldPath);
            if (now == null) {
                if (afterDirectory == null) {
                    afterDirectory = Files.readAttributes(after, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                }
                tar.whiteout(name, 0, 0, mtime(afterDirectory));
                continue;
            }
            if (was == null && FileChanges.isEngineMountPoint("/" + name, now)) {
                continue;
            }
            boolean directory = ((Integer) now.get("mode") & S_IFMT) == S_IFDIR;
            boolean wasDirectory = was != null && ((Integer) was.get("mode") & S_IFMT) == S_IFDIR;
            if (was == null || changed(oldPath, was, newPath, now)) {
                tar.add(name, newPath, LayerTarWriter.Overrides.NONE, null);
            }
            if (directory) {
                compare(wasDirectory ? oldPath : null, newPath, name + "/", tar);
            }
        }
    }

    private static boolean changed(Path oldPath, Map<String, Object> was, Path newPath, Map<String, Object> now)
            throws IOException {
        int mode = (Integer) now.get("mode");
        if (!was.get("mode").equals(mode) || !was.get("uid").equals(now.get("uid"))
                || !was.get("gid").equals(now.get("gid"))
                || !was.get("lastModifiedTime").equals(now.get("lastModifiedTime"))) {
            return true;
        }
        int type = mode & S_IFMT;
        if (type != S_IFDIR && (!was.get("size").equals(now.get("size")) || !was.get("rdev").equals(now.get("rdev")))) {
            return true;
        }
        if (type == S_IFLNK && !Libc.readlink(oldPath.toString()).equals(Libc.readlink(newPath.toString()))) {
            return true;
        }
        Map<String, byte[]> oldXattrs = LayerTarWriter.xattrs(oldPath);
        Map<String, byte[]> newXattrs = LayerTarWriter.xattrs(newPath);
        if (!oldXattrs.keySet().equals(newXattrs.keySet())) {
            return true;
        }
        for (Map.Entry<String, byte[]> xattr : newXattrs.entrySet()) {
            if (!Arrays.equals(xattr.getValue(), oldXattrs.get(xattr.getKey()))) {
                return true;
            }
        }
        return false;
    }

    /** The mode, owner, size, device and time of {@code path} itself, or null when nothing is there. */
    static Map<String, Object> unixAttributes(Path path) throws IOException {
        return FileTrees.attributes(path) == null ? null
                : Files.readAttributes(path, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
    }

    static List<String> sortedNames(Path directory) throws IOException {
        try (Stream<Path> children = Files.list(directory)) {
            return children.map(child -> child.getFileName().toString()).sorted().toList();
        }
    }

    private static long uid(Map<String, Object> unix) {
        return ((Integer) unix.get("uid")).longValue();
    }

    private static long gid(Map<String, Object> unix) {
        return ((Integer) unix.get("gid")).longValue();
    }

    private static Instant mtime(Map<String, Object> unix) {
        return Instant.ofEpochSecond(Math.floorDiv(((FileTime) Objects.requireNonNull(unix.get("lastModifiedTime")))
                .toMillis(), 1000));
    }
}
