package io.berth.engine.image;

import java.time.Instant;
import java.util.List;

import io.berth.common.Digest;

/**
 * A local image. Its id is its config's digest; config and manifest bytes live in the {@link ContentStore}.
 *
 * @param id             the config digest
 * @param manifestDigest the platform manifest the image was pulled as
 * @param layers         base first
 * @param created        when the record was made here (the image's own creation time is in its config)
 */
public record ImageRecord(Digest id, Digest manifestDigest, List<Layer> layers, Instant created) {

    /**
     * One layer: the compressed blob (kept in the content store), its uncompressed diff id, its chain id in the graph
     * driver and its unpacked size.
     */
    public record Layer(Digest blob, String mediaType, long blobSize, Digest diffId, Digest chainId, long size) {
    }

    public ImageRecord {
        layers = List.copyOf(layers);
    }

    /** The unpacked size of all layers, what docker reports as the image's Size. */
    public long size() {
        return layers.stream().mapToLong(Layer::size).sum();
    }

    public String shortId() {
        return id.hex().substring(0, 12);
    }
}
