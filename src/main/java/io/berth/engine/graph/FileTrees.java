package io.berth.engine.graph;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/** File-tree operations that never follow a symlink. */
public final class FileTrees {

    private FileTrees() {
    }

    /** The attributes of {@code path} itself (not of a symlink's target), or null when nothing is there. */
    public static BasicFileAttributes attributes(Path path) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Deletes {@code path} and, for a directory, everything below it; symlinks are removed, never followed. */
    public static void deleteTree(Path path) throws IOException {
        BasicFileAttributes attributes = attributes(path);
        if (attributes == null) {
            return;
        }
        if (!attributes.isDirectory()) {
            Files.delete(path);
            return;
        }
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Deletes quietly: used on a failure path, where the first exception is the one to report. */
    static void deleteTreeQuietly(Path path, Throwable failure) {
        try {
            deleteTree(path);
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /** Sets the times of {@code path} itself (a symlink's own times, never its target's). */
    static void setTimes(Path path, FileTime modified, FileTime accessed) throws IOException {
        Libc.utimes(path.toString(), accessed == null ? modified : accessed, modified);
    }
}
