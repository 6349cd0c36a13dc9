package io.berth.engine.graph;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies a layer's tree exactly (vfs): owners, modes with setuid/setgid/sticky, times, xattrs, symlinks as they are,
 * device nodes and fifos, and hard links between files of the tree kept as hard links. Never follows a symlink.
 */
final class TreeCopier {

    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFLNK = 0120000;
    private static final int S_IFSOCK = 0140000;

    private TreeCopier() {
    }

    /** Copies the contents and the root's metadata of {@code source} into the existing directory {@code target}. */
    static void copy(Path source, Path target) throws IOException {
        Map<String, Path> inodes = new HashMap<>(); // "dev:ino" of multiply linked files -> first copy
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!dir.equals(source)) {
                    Files.createDirectory(target.resolve(source.relativize(dir).toString()));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Map<String, Object> unix = Files.readAttributes(file,
                        "unix:mode,uid,gid,rdev,ino,dev,nlink,lastModifiedTime,lastAccessTime",
                        LinkOption.NOFOLLOW_LINKS);
                Path copy = target.resolve(source.relativize(file).toString());
                int mode = (Integer) unix.get("mode");
                int type = mode & S_IFMT;
                if (type == S_IFREG) {
                    String inode = unix.get("dev") + ":" + unix.get("ino");
                    Path first = (Integer) unix.get("nlink") > 1 ? inodes.putIfAbsent(inode, copy) : null;
                    if (first != null) {
                        Libc.link(first.toString(), copy.toString());
                        return FileVisitResult.CONTINUE; // same inode: its metadata is already copied
                    }
                    Files.copy(file, copy, LinkOption.NOFOLLOW_LINKS);
                } else if (type == S_IFLNK) {
                    Libc.symlink(Libc.readlink(file.toString()), copy.toString());
                } else if (type == S_IFSOCK) {
                    return FileVisitResult.CONTINUE; // a socket is no content: tar cannot carry one either
                } else {
                    long rdev = (Long) unix.get("rdev");
                    Libc.mknod(copy.toString(), type | (mode & 07777), Libc.major(rdev), Libc.minor(rdev));
                }
                metadata(file, copy, unix, type == S_IFLNK);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Map<String, Object> unix = Files.readAttributes(dir, "unix:mode,uid,gid,lastModifiedTime,lastAccessTime",
                        LinkOption.NOFOLLOW_LINKS);
                metadata(dir, target.resolve(source.relativize(dir).toString()), unix, false);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Owner, xattrs, mode, times, in that order (chown clears setuid and capabilities). */
    private static void metadata(Path from, Path to, Map<String, Object> unix, boolean symlink) throws IOException {
        String path = to.toString();
        Libc.lchown(path, (Integer) unix.get("uid"), (Integer) unix.get("gid"));
        List<String> names = Libc.llistxattr(from.toString());
        for (String name : names) {
            byte[] value = Libc.lgetxattr(from.toString(), name);
            if (value != null) {
                Libc.lsetxattr(path, name, value);
            }
        }
        if (!symlink) {
            Libc.chmod(path, (Integer) unix.get("mode"));
        }
        FileTrees.setTimes(to, (FileTime) unix.get("lastModifiedTime"), (FileTime) unix.get("lastAccessTime"));
    }
}
