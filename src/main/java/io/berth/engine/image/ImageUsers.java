package io.berth.engine.image;

import java.util.Optional;

import io.berth.common.Digest;

/**
 * Who uses an image besides its references: containers. The container package provides a bean; removal then
 * refuses (409) to delete an image a container was created from, as dockerd does, unless forced for stopped ones.
 */
public interface ImageUsers {

    /** A container created from {@code imageId}, if any, and whether it runs. */
    Optional<User> userOf(Digest imageId);

    record User(String containerId, boolean running) {
    }
}
