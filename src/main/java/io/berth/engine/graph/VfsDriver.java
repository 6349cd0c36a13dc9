package io.berth.engine.graph;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Layers as full copies, for file systems without overlayfs: each layer's directory is its parent's tree copied
 * exactly, with the archive applied on top (whiteouts delete, opaque markers empty). Costly in space, but needs
 * nothing from the kernel.
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
}
