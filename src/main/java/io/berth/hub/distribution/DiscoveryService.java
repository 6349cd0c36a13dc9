package io.berth.hub.distribution;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;

import org.springframework.stereotype.Service;

import io.berth.common.Digest;
import io.berth.common.InvalidDigestException;
import io.berth.common.error.ErrorKind;
import io.berth.hub.HubProperties;
import io.berth.hub.access.VisibleRepositories;
import io.berth.common.oci.Descriptor;
import io.berth.common.oci.ManifestParser;
import io.berth.common.oci.ParsedManifest;
import io.berth.hub.metadata.ManifestEntity;
import io.berth.hub.metadata.Manifests;
import io.berth.hub.metadata.SortedNames;

/** Listing what the registry holds: tags, the catalog of repositories, and referrers of a manifest. */
@Service
class DiscoveryService {

    private final RepositoryService repositories;
    private final SortedNames sortedNames;
    private final Manifests manifests;
    private final int maxPageSize;
    private final ManifestParser parser = new ManifestParser();

    DiscoveryService(RepositoryService repositories, SortedNames sortedNames, Manifests manifests,
            HubProperties properties) {
        this.repositories = repositories;
        this.sortedNames = sortedNames;
        this.manifests = manifests;
        this.maxPageSize = properties.maxPageSize();
    }

    Page tags(RepositoryName name, Integer n, String last) {
        long repositoryId = repositories.require(name, RegistryError.NAME_UNKNOWN, RegistryError.NAME_UNKNOWN.message(),
                Map.of("name", name.value()));
        return page(n, limit -> sortedNames.tags(repositoryId, last, limit));
    }

    /** The repositories the caller may see, as if no other existed. */
    Page catalog(Integer n, String last, VisibleRepositories visible) {
        return page(n, limit -> sortedNames.repositories(last, limit, visible.all(), visible.namespaces()));
    }

    /**
     * Fetches one more item than the page holds, so that the presence of a following page is known without
     * another query.
     */
    private Page page(Integer n, IntFunction<List<String>> query) {
        if (n != null && n < 0) {
            throw new RegistryException(RegistryError.UNSUPPORTED, ErrorKind.INVALID, "n must not be negative", null);
        }
        if (n != null && n == 0) {
            return new Page(List.of(), null);
        }
        int size = n == null ? maxPageSize : Math.min(n, maxPageSize);
        List<String> items = query.apply(size + 1);
        if (items.size() > size) {
            List<String> page = items.subList(0, size);
            return new Page(List.copyOf(page), page.get(page.size() - 1));
        }
        return new Page(items, null);
    }

    /** Descriptors of the manifests in the repository whose subject is {@code subject}, filtered by artifact type. */
    List<Descriptor> referrers(RepositoryName name, String subject, String artifactType) {
        Digest digest;
        try {
            digest = Digest.parse(subject);
        } catch (InvalidDigestException e) {
            throw new RegistryException(RegistryError.DIGEST_INVALID, "invalid digest: " + subject, Map.of("Digest", subject));
        }
        Optional<Long> repositoryId = repositories.find(name);
        if (repositoryId.isEmpty()) {
            return List.of();
        }
        List<Descriptor> result = new ArrayList<>();
        for (ManifestEntity manifest : manifests.findByRepositoryIdAndSubjectDigestOrderByCreatedAtAscIdAsc(
                repositoryId.get(), digest.toString())) {
            if (artifactType != null && !artifactType.equals(manifest.getArtifactType())) {
                continue;
            }
            ParsedManifest parsed = parser.parse(manifest.getContent(), manifest.getMediaType());
            result.add(new Descriptor(manifest.getMediaType(), Digest.parse(manifest.getDigest()), manifest.getSize(),
                    manifest.getArtifactType(), List.of(), parsed.annotations(), null));
        }
        return result;
    }
}
