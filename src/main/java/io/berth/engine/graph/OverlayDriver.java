package io.berth.engine.graph;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Layers as overlayfs lower directories: each layer holds only its own diff, whiteouts kept in overlayfs form
 * (0/0 character devices, {@code trusted.overlay.opaque=y}); a container mounts its image's chain read-only below its
 * own upper directory (see {@link OverlayMounts}).
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
}
