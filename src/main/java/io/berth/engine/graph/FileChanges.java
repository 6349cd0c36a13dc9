package io.berth.engine.graph;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.berth.engine.graph.FileChange.Kind;

/**
 * What {@code docker diff} lists, as dockerd's archive package compares a container's tree with its image's: from
 * overlayfs's upper directory against the image's layer directories, or from a vfs container's whole tree. A
 * directory with changes inside is listed as modified before them, even when the directory itself is unchanged
 * (dockerd's rule, so that a commit keeps the directory's permissions). Paths in name order, parents first.
 */
final class FileChanges {

    private static final int S_IFMT = 0170000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFREG = 0100000;
    private static final Set<String> ENGINE_MOUNT_POINTS = Set.of("/etc/hosts", "/etc/hostname",
            "/etc/resolv.conf");
    private static final String ATTRIBUTES = "unix:mode,uid,gid,size,rdev,lastModifiedTime";

    private FileChanges() {
    }

    /**
     * The changes overlayfs recorded in {@code upper} over {@code lowers} (the image's layer directories, topmost
     * first): a 0/0 character device, or an opaque directory hiding one below, is a deletion; a path no layer has an
     * addition; a file that differs from the layer's (as {@link #fromTrees} compares) a modification. The empty files
     * made in the upper directory as mount points for the Engine's {@code /etc/hosts}, {@code /etc/hostname} and
     * {@code /etc/resolv.conf} are no change of the container's (dockerd keeps them in a layer of their own).
     */
    static List<FileChange> fromUpper(Path upper, List<Path> lowers) throws IOException {
        List<FileChange> changes = new ArrayList<>();
        walkUpper(upper, "/", lowers, changes);
        return changes;
    }

    private static void walkUpper(Path directory, String prefix, List<Path> lowers, List<FileChange> changes)
            throws IOException {
        for (String child : LayerChanges.sortedNames(directory)) {
            Path path = directory.resolve(child);
            String name = prefix + child;
            Map<String, Object> now = Files.readAttributes(path, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
            int type = (Integer) now.get("mode") & S_IFMT;
            Path below = lowerHas(lowers, name);
            if (below == null && isEngineMountPoint(name, now)) {
                continue;
            }
            int sizeAtEntry = changes.size();
            boolean listed = true;
            if (type == S_IFCHR && (Long) now.get("rdev") == 0) {
                changes.add(new FileChange(name, Kind.DELETED));
                continue;
            } else if (below == null) {
                changes.add(new FileChange(name, Kind.ADDED));
            } else if (type == S_IFDIR && isOpaque(path)) {
                changes.add(new FileChange(name, Kind.DELETED));
            } else {
                listed = different(Files.readAttributes(below, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS), now);
                if (listed) {
                    changes.add(new FileChange(name, Kind.MODIFIED));
                }
            }
            if (type == S_IFDIR) {
                walkUpper(path, name + "/", lowers, changes);
                if (!listed && changes.size() > sizeAtEntry) {
                    changes.add(sizeAtEntry, new FileChange(name, Kind.MODIFIED));
                }
            }
        }
    }

    /** An empty file at one of the paths the Engine bind-mounts its network files on, which the image did not have. */
    static boolean isEngineMountPoint(String name, Map<String, Object> attributes) {
        return ENGINE_MOUNT_POINTS.contains(name) && ((Integer) attributes.get("mode") & S_IFMT) == S_IFREG
                && (Long) attributes.get("size") == 0;
    }

    private static boolean isOpaque(Path directory) throws IOException {
        byte[] opaque = Libc.lgetxattr(directory.toString(), LayerUnpacker.OVERLAY_OPAQUE_XATTR);
        return opaque != null && opaque.length == 1 && opaque[0] == 'y';
    }

    /** The path in the topmost layer directory that has it, or null when none has it or that one deletes it. */
    private static Path lowerHas(List<Path> lowers, String name) throws IOException {
        for (Path lower : lowers) {
            Path candidate = lower.resolve(name.substring(1));
            Map<String, Object> unix;
            try {
                unix = Files.readAttributes(candidate, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
            } catch (FileSystemException e) {
                continue; // not there, or below a file of that name: not in this layer
            }
            boolean whiteout = ((Integer) unix.get("mode") & S_IFMT) == S_IFCHR && (Long) unix.get("rdev") == 0;
            return whiteout ? null : candidate;
        }
        return null;
    }

    /**
     * The differences of {@code after} (a container's whole tree) from {@code before} (its image's, null for none):
     * new paths added, missing ones deleted (only the topmost), and ones whose mode, owner or device differ, or for
     * non-directories whose size or modification time differ, modified. A directory with changes inside is listed as
     * modified before them.
     */
    static List<FileChange> fromTrees(Path before, Path after) throws IOException {
        List<FileChange> changes = new ArrayList<>();
        compare(before, after, "/", changes);
        return changes;
    }

    private static void compare(Path before, Path after, String prefix, List<FileChange> changes) throws IOException {
        TreeSet<String> names = new TreeSet<>(LayerChanges.sortedNames(after));
        if (before != null) {
            names.addAll(LayerChanges.sortedNames(before));
        }
        for (String child : names) {
            String name = prefix + child;
            Path newPath = after.resolve(child);
            Path oldPath = before == null ? null : before.resolve(child);
            Map<String, Object> now = LayerChanges.unixAttributes(newPath);
            Map<String, Object> was = oldPath == null ? null : LayerChanges.unixAttributes(oldPath);
            if (now == null) {
                changes.add(new FileChange(name, Kind.DELETED));
                continue;
            }
            if (was == null && isEngineMountPoint(name, now)) {
                continue;
            }
            int sizeAtEntry = changes.size();
            boolean listed = was == null || different(was, now);
            if (listed) {
                changes.add(new FileChange(name, was == null ? Kind.ADDED : Kind.MODIFIED));
            }
            boolean directory = ((Integer) now.get("mode") & S_IFMT) == S_IFDIR;
            if (directory) {
                boolean wasDirectory = was != null && ((Integer) was.get("mode") & S_IFMT) == S_IFDIR;
                compare(wasDirectory ? oldPath : null, newPath, name + "/", changes);
                if (!listed && changes.size() > sizeAtEntry) {
                    changes.add(sizeAtEntry, new FileChange(name, Kind.MODIFIED));
                }
            }
        }
    }

    private static boolean different(Map<String, Object> was, Map<String, Object> now) {
        if (!was.get("mode").equals(now.get("mode")) || !was.get("uid").equals(now.get("uid"))
                || !was.get("gid").equals(now.get("gid")) || !was.get("rdev").equals(now.get("rdev"))) {
            return true;
        }
        boolean directory = ((Integer) now.get("mode") & S_IFMT) == S_IFDIR;
        return !directory && (!was.get("size").equals(now.get("size"))
                || !was.get("lastModifiedTime").equals(now.get("lastModifiedTime")));
    }
}
