package io.berth.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files and directories only their owner may read: the data dir holds password hashes, token keys and private images.
 * Created with these modes from the start (never a moment world-readable) where the file system knows POSIX modes;
 * elsewhere the calls fall back to the platform's defaults.
 */
public final class OwnerOnly {

    public static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwx------");
    public static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");

    private OwnerOnly() {
    }

    /** Like {@link Files#createDirectories}, every directory it creates 0700. */
    public static Path createDirectories(Path dir) throws IOException {
        if (!isPosix(dir)) {
            return Files.createDirectories(dir);
        }
        return Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY_MODE));
    }

    /** Like {@link Files#createFile}, the file 0600. */
    public static Path createFile(Path file) throws IOException {
        if (!isPosix(file)) {
            return Files.createFile(file);
        }
        return Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE_MODE));
    }

    /** The attribute to create a file 0600 with, for the calls that take one. */
    public static FileAttribute<?>[] fileAttributes(Path file) {
        return isPosix(file) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE_MODE)}
                : new FileAttribute<?>[0];
    }

    /**
     * Takes group and other permissions away from an existing directory (0700) or file (0600); leaves symbolic links,
     * and whatever the owner has, alone. Returns whether it changed anything.
     */
    public static boolean restrict(Path path) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        if (view == null || Files.isSymbolicLink(path)) {
            return false;
        }
        Set<PosixFilePermission> mode = view.readAttributes().permissions();
        Set<PosixFilePermission> wanted = Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) ? DIRECTORY_MODE : FILE_MODE;
        if (mode.equals(wanted)) {
            return false;
        }
        view.setPermissions(wanted);
        return true;
    }

    private static boolean isPosix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
