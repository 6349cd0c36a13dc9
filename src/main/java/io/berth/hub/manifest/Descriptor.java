package io.berth.hub.manifest;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.berth.common.Digest;

/**
 * An OCI content descriptor: what a manifest says about a blob or another manifest.
 *
 * @param urls where a non-distributable ("foreign") layer can be fetched instead of the registry
 */
public record Descriptor(String mediaType, Digest digest, long size, String artifactType, List<String> urls,
        Map<String, String> annotations, Platform platform) {

    public Descriptor {
        urls = urls == null ? List.of() : List.copyOf(urls);
        annotations = annotations == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(annotations));
    }

    /** Whether the registry may lack this blob: a non-distributable layer, fetched from its URLs instead. */
    public boolean isForeign() {
        return !urls.isEmpty() || mediaType.contains("nondistributable") || mediaType.contains(".foreign.");
    }
}
