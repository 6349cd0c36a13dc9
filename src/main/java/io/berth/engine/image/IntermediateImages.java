package io.berth.engine.image;

import io.berth.common.Digest;

/**
 * The images a build keeps for its cache, one per step: like dockerd's intermediate images, {@code docker images}
 * lists them only with {@code -a}.
 */
public interface IntermediateImages {

    boolean isIntermediate(Digest id);
}
