package io.berth.engine.runtime.spec;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The host's device nodes, which a privileged container gets in its /dev (containerd's HostDevices, as moby uses it):
 * every character and block device under /dev but the console and the per-instance directories.
 */
final class HostDevices {

    private static final Set<String> SKIPPED_DIRECTORIES = Set.of("pts", "shm", "fd", "mqueue", ".lxc",
            ".lxd-mounts", ".udev");
    private static final int S_IFMT = 0170000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;

    private HostDevices() {
    }

    static List<Device> list(Path dev) throws IOException {
        List<Device> devices = new ArrayList<>();
        Files.walkFileTree(dev, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return !dir.equals(dev) && SKIPPED_DIRECTORIES.contains(dir.getFileName().toString())
                        ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (file.equals(dev.resolve("console")) || !attrs.isOther()) {
                    return FileVisitResult.CONTINUE;
                }
                Map<String, Object> unix = Files.readAttributes(file, "unix:mode,rdev,uid,gid",
                        LinkOption.NOFOLLOW_LINKS);
                int mode = (Integer) unix.get("mode");
                int type = mode & S_IFMT;
                if (type == S_IFCHR || type == S_IFBLK) {
                    long rdev = (Long) unix.get("rdev");
                    devices.add(new Device(file.toString(), type == S_IFCHR ? "c" : "b", major(rdev), minor(rdev),
                            mode & 07777, (Integer) unix.get("uid"), (Integer) unix.get("gid")));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE; // a node that vanished or cannot be read is no device to pass on
            }
        });
        return devices;
    }

    /** glibc's major(): 12 bits split across the 64-bit dev_t. */
    private static long major(long dev) {
        return ((dev >>> 32) & 0xfffff000L) | ((dev >>> 8) & 0xfffL);
    }

    private static long minor(long dev) {
        return ((dev >>> 12) & 0xffffff00L) | (dev & 0xffL);
    }
}
