package io.berth.hub.distribution;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import io.berth.common.Digest;

/** Small hand-made manifests whose exact bytes the tests control. */
final class TestImages {

    private TestImages() {
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A unique config blob. */
    static byte[] config() {
        return bytes("{\"architecture\":\"amd64\",\"os\":\"linux\",\"author\":\"" + UUID.randomUUID() + "\"}");
    }

    static String descriptor(String mediaType, Digest digest, long size) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";
    }

    static byte[] imageManifest(Digest config, long configSize, Digest layer, long layerSize) {
        return bytes("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":"
                + descriptor("application/vnd.oci.image.config.v1+json", config, configSize) + ",\"layers\":["
                + descriptor("application/vnd.oci.image.layer.v1.tar", layer, layerSize) + "]}");
    }
}
