package io.berth.common;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * fsync(2) for what Java's file API leaves in the page cache: a renamed, created or removed name is only durable once
 * its directory is synced, and a file's bytes once the file is.
 */
public final class Fsync {

    private Fsync() {
    }

    public static void file(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    /**
     * Syncs a directory's entries. A file system that cannot sync a directory (it refuses to open one) is left as it is:
     * the rename before this was atomic all the same.
     */
    public static void directory(Path dir) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(dir, StandardOpenOption.READ);
        } catch (IOException e) {
            return;
        }
        try (channel) {
            channel.force(true);
        }
    }
}
