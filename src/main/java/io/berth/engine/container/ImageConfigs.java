package io.berth.engine.container;

import static io.berth.common.error.ErrorKind.FAILED;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import io.berth.common.error.BerthException;
import io.berth.engine.docker.ContainerConfig;
import io.berth.engine.runtime.spec.ImageRuntimeConfig;

/**
 * An image's config blob as containers need it: its {@code config} object, which has the shape of a container's
 * Config, for Docker's merge and for the runtime's defaults.
 */
final class ImageConfigs {

    /** An OCI or Docker image config blob, of which only {@code config} matters here. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    private record Blob(ContainerConfig config) {
    }

    private ImageConfigs() {
    }

    /** The {@code config} of an image config blob; null when it has none. */
    static ContainerConfig read(JsonMapper json, byte[] blob) {
        try {
            return json.readValue(blob, Blob.class).config();
        } catch (JacksonException e) {
            throw new BerthException(FAILED, "the image's config cannot be read: " + e.getOriginalMessage(), e);
        }
    }

    /** What the runtime takes from the image (unset values null, as an image that does not set them). */
    static ImageRuntimeConfig runtime(ContainerConfig image) {
        if (image == null) {
            return ImageRuntimeConfig.empty();
        }
        return new ImageRuntimeConfig(image.env(), image.cmd(), image.entrypoint(),
                DockerConfigs.emptyToNull(image.workingDir()), DockerConfigs.emptyToNull(image.user()),
                DockerConfigs.emptyToNull(image.stopSignal()));
    }
}
