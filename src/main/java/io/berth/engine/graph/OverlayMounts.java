package io.berth.engine.graph;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/** Mounts and unmounts overlayfs through mount(2)/umount2(2), without the mount binary. */
public final class OverlayMounts {

    /** The kernel copies mount data into one page; longer options are cut off and the mount fails obscurely. */
    private static final int MAX_OPTIONS = 4095;
    private static final long MS_RDONLY = 1;

    private OverlayMounts() {
    }

    /**
     * Mounts {@code lowersTopFirst} (read-only, the first one on top) under the writable {@code upper} at
     * {@code target}; {@code work} must be an empty directory on the same file system as {@code upper}. The paths are
     * absolute (Java cannot chdir to shorten them) and must not contain the option separators {@code , : \}.
     */
    public static void mount(List<Path> lowersTopFirst, Path upper, Path work, Path target) throws IOException {
        if (lowersTopFirst.isEmpty()) {
            throw new IllegalArgumentException("an overlay mount needs at least one lower directory");
        }
        String options = "lowerdir=" + lowersTopFirst.stream().map(OverlayMounts::option).collect(Collectors.joining(":"))
                + ",upperdir=" + option(upper) + ",workdir=" + option(work);
        if (options.length() > MAX_OPTIONS) {
            throw new IOException("overlay mount options for " + lowersTopFirst.size() + " layers are "
                    + options.length() + " bytes, more than the kernel's " + MAX_OPTIONS);
        }
        Libc.mount("overlay", target.toAbsolutePath().toString(), "overlay", 0, options);
    }

    /** Mounts {@code lowersTopFirst} (at least two) read-only at {@code target}, without an upper directory. */
    public static void mountReadOnly(List<Path> lowersTopFirst, Path target) throws IOException {
        if (lowersTopFirst.size() < 2) {
            throw new IllegalArgumentException("a read-only overlay mount needs at least two lower directories");
        }
        String options = "lowerdir=" + lowersTopFirst.stream().map(OverlayMounts::option)
                .collect(Collectors.joining(":"));
        if (options.length() > MAX_OPTIONS) {
            throw new IOException("overlay mount options for " + lowersTopFirst.size() + " layers are "
                    + options.length() + " bytes, more than the kernel's " + MAX_OPTIONS);
        }
        Libc.mount("overlay", target.toAbsolutePath().toString(), "overlay", MS_RDONLY, options);
    }

    /** Unmounts {@code target} (not following it if it is a symlink). */
    public static void unmount(Path target) throws IOException {
        Libc.umount(target.toAbsolutePath().toString());
    }

    /**
     * Whether overlayfs works in {@code directory}: listed in /proc/filesystems and a test mount of a lower and an
     * upper directory shows both. Null when it works, else the reason, for the log.
     */
    static String unavailableReason(Path directory) {
        try {
            if (Files.readAllLines(Path.of("/proc/filesystems")).stream().noneMatch(l -> l.endsWith("\toverlay"))) {
                return "the kernel does not list overlay in /proc/filesystems";
            }
        } catch (IOException e) {
            return "cannot read /proc/filesystems: " + e.getMessage();
        }
        Path probe = directory.toAbsolutePath().normalize().resolve("overlay-probe-" + UUID.randomUUID());
        try {
            Path lower = Files.createDirectories(probe.resolve("lower"));
            Path upper = Files.createDirectories(probe.resolve("upper"));
            Path work = Files.createDirectories(probe.resolve("work"));
            Path merged = Files.createDirectories(probe.resolve("merged"));
            Files.writeString(lower.resolve("lower"), "lower");
            Files.writeString(upper.resolve("upper"), "upper");
            mount(List.of(lower), upper, work, merged);
            try {
                if (!Files.exists(merged.resolve("lower")) || !Files.exists(merged.resolve("upper"))) {
                    return "a test overlay mount in " + directory + " does not show its lower and upper files";
                }
                Files.writeString(merged.resolve("written"), "written");
            } finally {
                unmount(merged);
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return "a test overlay mount in " + directory + " failed: " + e.getMessage();
        } finally {
            try {
                FileTrees.deleteTree(probe);
            } catch (IOException e) {
                // still mounted only if unmount failed, which was reported above; the directory is debris then
            }
        }
    }

    private static String option(Path path) {
        String value = path.toAbsolutePath().normalize().toString();
        if (value.contains(",") || value.contains(":") || value.contains("\\")) {
            throw new IllegalArgumentException("overlay directory " + value + " contains , : or \\");
        }
        return value;
    }
}
