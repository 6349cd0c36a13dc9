package io.berth.engine.image;

import io.berth.common.Digest;
import io.berth.common.error.BerthException;
import io.berth.common.error.ErrorKind;
import io.berth.common.oci.ImageConfiguration;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** Reads image configuration blobs: a blob that is no JSON object is the image's fault, not the caller's. */
final class ImageConfigurations {

    private ImageConfigurations() {
    }

    static ImageConfiguration read(JsonMapper json, byte[] blob, Digest id) {
        try {
            ImageConfiguration config = json.readValue(blob, ImageConfiguration.class);
            if (config == null) {
                throw new BerthException(ErrorKind.FAILED, "invalid image config " + id + ": not a JSON object");
            }
            return config;
        } catch (JacksonException e) {
            throw new BerthException(ErrorKind.FAILED, "invalid image config " + id + ": " + e.getOriginalMessage());
        }
    }
}
