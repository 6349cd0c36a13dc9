package io.berth.common.oci;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.berth.common.Digest;

/**
 * An OCI content descriptor: what a manifest says about a blob or another manifest.
 *
 * @param urls     where a non-distributable ("foreign") layer can be fetched instead of the registry
 * @param platform what an index entry is for; null elsewhere
 */
public record Descriptor(String mediaType, Digest digest, long size, String artifactType, List<String> urls,
        Map<String, String> annotations, Platform platform) {

    public Descriptor {
        Objects.requireNonNull(digest, "digest");
        if (size < 0) {
            throw new IllegalArgumentException("descriptor of " + digest + " has a negative size: " + size);
        }
        urls = urls == null ? List.of() : List.copyOf(urls);
        annotations = annotations == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(annotations));
    }

    /** A plain blob's descriptor: no URLs, annotations or platform. */
    public static Descriptor of(String mediaType, Digest digest, long size) {
        return new Descriptor(mediaType, digest, size, null, List.of(), Map.of(), null);
    }

    /** Whether the registry may lack this blob: a non-distributable layer, fetched from its URLs instead. */
    public boolean isForeign() {
        return !urls.isEmpty() || mediaType.contains("nondistributable") || mediaType.contains(".foreign.");
    }
}
