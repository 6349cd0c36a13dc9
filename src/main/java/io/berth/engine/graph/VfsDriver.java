package io.berth.engine.graph;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Layers as full copies, for file systems without overlayfs: each layer's directory is its parent's tree copied
 * exactly, with the archive applied on top (whiteouts delete, opaque markers empty). Costly in space, but needs
 * nothing from the kernel. A container's root is one more such copy, {@code rootfs/} in its directory.
 */
public final class VfsDriver extends LayerDirectories {

    public static final String NAME = "vfs";

    public VfsDriver(Path engineDirectory) throws IOException {
        super(engineDirectory, NAME);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    LayerUnpacker.Whiteouts whiteouts() {
        return LayerUnpacker.Whiteouts.APPLY;
    }

    @Override
    void prepare(Path diff, String parentChainId) throws IOException {
        if (parentChainId != null) {
            TreeCopier.copy(layerPath(parentChainId), diff);
        }
    }

    @Override
    public Path createRootfs(String containerId, String topChainId) throws IOException {
        synchronized (containerLock(containerId)) {
            if (topChainId != null && !hasLayer(topChainId)) {
                throw new IOException("cannot create the rootfs of container " + containerId + ": layer "
                        + topChainId + " is not in the vfs store");
            }
            Path directory = containerDirectory(containerId, topChainId, building -> {
                Path rootfs = Files.createDirectory(building.resolve("rootfs"));
                Libc.chmod(rootfs.toString(), 0755);
                if (topChainId != null) {
                    TreeCopier.copy(layerPath(topChainId), rootfs);
                }
            });
            return directory.resolve("rootfs");
        }
    }

    @Override
    public void unmountRootfs(String containerId) {
        // a vfs rootfs is a plain directory: nothing is mounted
    }

    @Override
    public void removeRootfs(String containerId) throws IOException {
        synchronized (containerLock(containerId)) {
            deleteContainerDirectory(containerId);
        }
    }

    @Override
    public Path rootfsDiff(String containerId) throws IOException {
        return requireContainerDirectory(containerId).resolve("rootfs");
    }

    @Override
    public void writeChanges(String containerId, LayerTarWriter tar) throws IOException {
        synchronized (containerLock(containerId)) {
            Path directory = requireContainerDirectory(containerId);
            String image = Files.readString(directory.resolve("image"));
            LayerChanges.fromTrees(image.isEmpty() ? null : layerPath(image), directory.resolve("rootfs"), tar);
        }
    }

    @Override
    public List<FileChange> changes(String containerId) throws IOException {
        synchronized (containerLock(containerId)) {
            Path directory = requireContainerDirectory(containerId);
            String image = Files.readString(directory.resolve("image"));
            return FileChanges.fromTrees(image.isEmpty() ? null : layerPath(image), directory.resolve("rootfs"));
        }
    }

    /** A vfs layer is its image's whole tree already: the view is that directory. */
    @Override
    public LayerView view(String topChainId) throws IOException {
        if (topChainId == null) {
            Path empty = emptyDirectory();
            return new LayerView(empty, () -> FileTrees.deleteTree(empty));
        }
        if (!hasLayer(topChainId)) {
            throw new IOException("layer " + topChainId + " is not in the vfs store");
        }
        return new LayerView(layerPath(topChainId), () -> { });
    }
}
