package io.berth.engine.runtime.cgroup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Reads and writes of cgroup control files. A write never creates a file: on cgroupfs a missing file means a missing
 * controller or a typo, and the error should say so rather than leave a stray file behind.
 */
final class CgroupFiles {

    private CgroupFiles() {
    }

    static String read(Path file) throws IOException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no such cgroup file (controller not enabled here?)");
        }
    }

    static long readLong(Path file) throws IOException {
        String text = read(file);
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IOException("cgroup file " + file + " holds '" + text + "', not a number");
        }
    }

    /** A limit file holding a number or {@code max}; -1 for {@code max}. */
    static long readLimit(Path file) throws IOException {
        String text = read(file);
        return "max".equals(text) ? -1 : readLong(file);
    }

    static void write(Path file, String value) throws IOException {
        try {
            Files.writeString(file, value, StandardCharsets.UTF_8, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null,
                    "cannot write '" + value + "': no such cgroup file (controller not enabled here?)");
        } catch (IOException e) {
            // The kernel answers a bad value with EINVAL, a limit below usage with EBUSY: both need the value
            throw new IOException("cannot write '" + value + "' to " + file + ": " + e.getMessage(), e);
        }
    }

    /** The number after {@code key} in a flat keyed file ({@code memory.stat}, {@code memory.events}, ...). */
    static long keyed(Path file, String key) throws IOException {
        for (String line : read(file).split("\n")) {
            int space = line.indexOf(' ');
            if (space > 0 && line.substring(0, space).equals(key)) {
                return Long.parseLong(line.substring(space + 1).trim());
            }
        }
        throw new IOException("cgroup file " + file + " has no '" + key + "' line");
    }

    /** The pids in a {@code cgroup.procs} file. */
    static List<Integer> pids(Path procsFile) throws IOException {
        List<Integer> pids = new ArrayList<>();
        for (String line : read(procsFile).split("\n")) {
            if (!line.isBlank()) {
                pids.add(Integer.parseInt(line.trim()));
            }
        }
        return pids;
    }

    /** {@code dir} and every cgroup below it, children before their parents (the order rmdir needs). */
    static List<Path> subtreeBottomUp(Path dir) throws IOException {
        List<Path> dirs = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return dirs;
        }
        try (var children = Files.list(dir)) {
            for (Path child : children.filter(Files::isDirectory).toList()) {
                dirs.addAll(subtreeBottomUp(child));
            }
        }
        dirs.add(dir);
        return dirs;
    }

    /**
     * Removes an empty cgroup (its control files go with it). The kernel may answer EBUSY for a moment after the
     * last task left, while it still tears the task's accounting down: that is retried for a second.
     */
    static void rmdir(Path cgroup) throws IOException {
        IOException[] last = new IOException[1];
        boolean removed = await(Duration.ofSeconds(1), () -> {
            try {
                Files.deleteIfExists(cgroup);
                return true;
            } catch (FileSystemException busy) {
                last[0] = busy;
                return false;
            }
        });
        if (!removed) {
            throw new IOException("cannot remove cgroup " + cgroup + ": " + last[0].getMessage(), last[0]);
        }
    }

    /** Polls {@code condition} until it holds or {@code timeout} passes; true when it held. */
    static boolean await(Duration timeout, IoCondition condition) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.holds()) {
                return true;
            }
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }
    }

    @FunctionalInterface
    interface IoCondition {
        boolean holds() throws IOException;
    }


    /**
     * Removes the directories a failed create made, newest first; nothing has joined them yet, so they are empty.
     * Failures to remove are added to {@code failure}.
     */
    static void removeCreated(java.util.List<java.nio.file.Path> created, Exception failure) {
        for (int i = created.size() - 1; i >= 0; i--) {
            try {
                java.nio.file.Files.deleteIfExists(created.get(i));
            } catch (java.io.IOException cleanup) {
                failure.addSuppressed(cleanup);
            }
        }
    }
}
