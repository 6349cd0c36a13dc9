package io.berth.engine.container;

import java.util.Optional;

import org.springframework.stereotype.Component;

import io.berth.common.Digest;
import io.berth.engine.OnEngine;
import io.berth.engine.image.ImageUsers;

/** Tells image removal which container uses an image, so that {@code docker rmi} answers 409 as dockerd does. */
@Component
@OnEngine
class ContainerImageUsers implements ImageUsers {

    private final ContainerStore store;

    ContainerImageUsers(ContainerStore store) {
        this.store = store;
    }

    /** A running user first: that one makes the removal impossible even when forced. */
    @Override
    public Optional<User> userOf(Digest imageId) {
        String id = imageId.toString();
        User found = null;
        for (ContainerRecord container : store.all()) {
            if (container.imageId().equals(id)) {
                if (container.state().isRunning()) {
                    return Optional.of(new User(container.id(), true));
                }
                if (found == null) {
                    found = new User(container.id(), false);
                }
            }
        }
        return Optional.ofNullable(found);
    }
}
