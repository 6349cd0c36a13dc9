package io.berth.engine.runtime.spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

import io.berth.engine.graph.ArchivePaths;

/**
 * Paths inside a container's root file system resolved as the container would see them: every symlink is followed
 * with the rootfs as {@code /}, so an absolute target or a run of {@code ..} never leaves it (moby's
 * FollowSymlinkInScope). An image is untrusted: its /etc/passwd may be a link to the host's.
 */
public final class RootfsPaths {

    private RootfsPaths() {
    }

    /**
     * The host path of {@code containerPath} (absolute or not, read from {@code /}) inside {@code rootfs}, with every
     * symlink resolved in scope. The result need not exist; it is always {@code rootfs} or below it.
     */
    public static Path resolve(Path rootfs, String containerPath) throws IOException {
        return ArchivePaths.resolveInScope(rootfs.toAbsolutePath().normalize(), containerPath);
    }

    /** Whether {@code path} is a regular file itself (a fifo would block a reader, a directory cannot be read). */
    static boolean isRegularFile(Path path) {
        return Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS);
    }
}
