package io.berth.engine.image;

import org.springframework.stereotype.Component;

import io.berth.engine.OnEngine;
import io.berth.engine.system.EngineStatistics;

/** The image count of {@code docker info}. */
@Component
@OnEngine
class ImageStatistics implements EngineStatistics {

    private final ImageStore images;

    ImageStatistics(ImageStore images) {
        this.images = images;
    }

    @Override
    public int images() {
        return images.count();
    }

    @Override
    public int containers() {
        return 0;
    }
}
