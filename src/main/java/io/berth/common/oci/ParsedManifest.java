package io.berth.common.oci;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.berth.common.Digest;

/**
 * What the registry needs to know of a manifest or index: its type, what it references and its subject.
 *
 * @param artifactType the manifest's own {@code artifactType}, or for image manifests without one the config's
 *        media type (what the referrers API reports)
 */
public record ParsedManifest(String mediaType, String artifactType, Descriptor config, List<Descriptor> layers,
        List<Descriptor> manifests, Descriptor subject, Map<String, String> annotations) {

    public ParsedManifest {
        layers = List.copyOf(layers);
        manifests = List.copyOf(manifests);
        annotations = annotations == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(annotations));
    }

    public boolean isIndex() {
        return MediaTypes.INDEXES.contains(mediaType);
    }

    public Optional<Descriptor> subjectDescriptor() {
        return Optional.ofNullable(subject);
    }

    /** Blobs the registry must hold for this manifest to be complete (config and non-foreign layers). */
    public Set<Digest> requiredBlobs() {
        Set<Digest> digests = new LinkedHashSet<>();
        if (config != null) {
            digests.add(config.digest());
        }
        for (Descriptor layer : layers) {
            if (!layer.isForeign()) {
                digests.add(layer.digest());
            }
        }
        return digests;
    }

    /** Every blob the manifest names, foreign layers included (what garbage collection must keep). */
    public Set<Digest> referencedBlobs() {
        Set<Digest> digests = new LinkedHashSet<>();
        if (config != null) {
            digests.add(config.digest());
        }
        layers.forEach(layer -> digests.add(layer.digest()));
        return digests;
    }

    /** Child manifests of an index. */
    public Set<Digest> referencedManifests() {
        Set<Digest> digests = new LinkedHashSet<>();
        manifests.forEach(d -> digests.add(d.digest()));
        return digests;
    }
}
