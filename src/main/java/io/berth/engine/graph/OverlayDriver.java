package io.berth.engine.graph;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Layers as overlayfs lower directories: each layer holds only its own diff, whiteouts kept in overlayfs form
 * (0/0 character devices, {@code trusted.overlay.opaque=y}); a container mounts its image's chain read-only below its
 * own upper directory (see {@link OverlayMounts}).
 *
 * <p>A container's directory holds {@code upper/} (its changes), {@code work/} (overlayfs's scratch space, on the same
 * file system as upper), {@code merged/} (the mount point, the container's root) and, for an image without layers,
 * an empty {@code lower/} (overlayfs needs at least one lower directory).
 */
public final class OverlayDriver extends LayerDirectories {

    public static final String NAME = "overlay";

    public OverlayDriver(Path engineDirectory) throws IOException {
        super(engineDirectory, NAME);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    LayerUnpacker.Whiteouts whiteouts() {
        return LayerUnpacker.Whiteouts.OVERLAY;
    }

    @Override
    void prepare(Path diff, String parentChainId) {
        // a layer's diff starts empty: its parents are stacked below it at mount time
    }

    /** The diff directories of the layer and its ancestors, topmost first: the lowerdir list for a mount. */
    public List<Path> lowerDirectories(String chainId) throws IOException {
        List<Path> lowers = new ArrayList<>();
        for (String id : chain(chainId)) {
            lowers.add(layerPath(id));
        }
        return lowers;
    }

    @Override
    public Path createRootfs(String containerId, String topChainId) throws IOException {
        synchronized (containerLock(containerId)) {
            List<Path> lowers = topChainId == null ? null : lowerDirectories(topChainId);
            Path directory = containerDirectory(containerId, topChainId, building -> {
                for (String name : new String[] {"upper", "work", "merged"}) {
                    Libc.chmod(Files.createDirectory(building.resolve(name)).toString(), 0755);
                }
                if (topChainId == null) {
                    Libc.chmod(Files.createDirectory(building.resolve("lower")).toString(), 0755);
                }
            });
            Path merged = directory.resolve("merged");
            if (!isMounted(directory)) {
                OverlayMounts.mount(lowers == null ? List.of(directory.resolve("lower")) : lowers,
                        directory.resolve("upper"), directory.resolve("work"), merged);
            }
            return merged;
        }
    }

    @Override
    public void unmountRootfs(String containerId) throws IOException {
        synchronized (containerLock(containerId)) {
            Path directory = existingContainerDirectory(containerId);
            if (directory != null && isMounted(directory)) {
                OverlayMounts.unmount(directory.resolve("merged"));
            }
        }
    }

    @Override
    public void removeRootfs(String containerId) throws IOException {
        synchronized (containerLock(containerId)) {
            unmountRootfs(containerId); // fails, and so keeps the layer, while something still holds the mount
            deleteContainerDirectory(containerId);
        }
    }

    @Override
    public Path rootfsDiff(String containerId) throws IOException {
        return requireContainerDirectory(containerId).resolve("upper");
    }

    @Override
    public void writeChanges(String containerId, LayerTarWriter tar) throws IOException {
        synchronized (containerLock(containerId)) {
            LayerChanges.fromUpper(requireContainerDirectory(containerId).resolve("upper"), tar);
        }
    }

    @Override
    public List<FileChange> changes(String containerId) throws IOException {
        synchronized (containerLock(containerId)) {
            Path directory = requireContainerDirectory(containerId);
            String image = Files.readString(directory.resolve("image"));
            return FileChanges.fromUpper(directory.resolve("upper"),
                    image.isEmpty() ? List.of() : lowerDirectories(image));
        }
    }

    /**
     * A read-only overlay mount of the image's layers, with an empty directory at the bottom (overlayfs needs two
     * lower directories when there is no upper one).
     */
    @Override
    public LayerView view(String topChainId) throws IOException {
        Path empty = emptyDirectory();
        try {
            if (topChainId == null) {
                return new LayerView(empty, () -> FileTrees.deleteTree(empty));
            }
            List<Path> lowers = new ArrayList<>(lowerDirectories(topChainId));
            Path bottom = Files.createDirectory(empty.resolve("bottom"));
            Path merged = Files.createDirectory(empty.resolve("merged"));
            lowers.add(bottom);
            OverlayMounts.mountReadOnly(lowers, merged);
            return new LayerView(merged, () -> {
                OverlayMounts.unmount(merged);
                FileTrees.deleteTree(empty);
            });
        } catch (IOException | RuntimeException e) {
            FileTrees.deleteTreeQuietly(empty, e);
            throw e;
        }
    }

    /** Whether {@code merged} is a mount point: a mount has a device of its own, unlike its parent directory. */
    private static boolean isMounted(Path containerDirectory) throws IOException {
        Object parent = Files.getAttribute(containerDirectory, "unix:dev", LinkOption.NOFOLLOW_LINKS);
        Object merged = Files.getAttribute(containerDirectory.resolve("merged"), "unix:dev", LinkOption.NOFOLLOW_LINKS);
        return !parent.equals(merged);
    }
}
