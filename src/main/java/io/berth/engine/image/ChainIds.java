package io.berth.engine.image;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.berth.common.Digest;

/**
 * Chain ids name a layer together with everything under it (OCI image spec, "Layer ChainID"):
 * {@code ChainID(L0) = DiffID(L0)}, {@code ChainID(Ln) = sha256(ChainID(Ln-1) + " " + DiffID(Ln))}. Two images
 * share an unpacked layer exactly when they share its chain id.
 */
public final class ChainIds {

    private ChainIds() {
    }

    public static List<Digest> of(List<Digest> diffIds) {
        List<Digest> chain = new ArrayList<>(diffIds.size());
        Digest previous = null;
        for (Digest diffId : diffIds) {
            previous = previous == null
                    ? diffId
                    : Digest.sha256((previous + " " + diffId).getBytes(StandardCharsets.UTF_8));
            chain.add(previous);
        }
        return List.copyOf(chain);
    }
}
