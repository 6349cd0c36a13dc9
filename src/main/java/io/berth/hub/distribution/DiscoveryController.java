package io.berth.hub.distribution;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.berth.hub.access.RegistryRequests;
import io.berth.common.oci.Descriptor;
import io.berth.common.oci.MediaTypes;

/** Tags lists, the catalog and the referrers API. */
@RestController
class DiscoveryController {

    private final DiscoveryService discovery;
    private final RegistryCallers callers;

    DiscoveryController(DiscoveryService discovery, RegistryCallers callers) {
        this.discovery = discovery;
        this.callers = callers;
    }

    record TagList(String name, List<String> tags) {
    }

    record Catalog(List<String> repositories) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ReferrerDescriptor(String mediaType, String digest, long size, String artifactType,
            Map<String, String> annotations) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ReferrersIndex(int schemaVersion, String mediaType, List<ReferrerDescriptor> manifests) {
    }

    @GetMapping("/v2/{name}/tags/list")
    ResponseEntity<TagList> tags(@PathVariable String name, @RequestParam(name = "n", required = false) String count,
            @RequestParam(required = false) String last) {
        RepositoryName repository = new RepositoryName(name);
        Integer n = pageSize(count);
        Page page = discovery.tags(repository, n, last);
        return withLink(page, "/v2/" + repository + "/tags/list", n).body(new TagList(repository.value(), page.items()));
    }

    @GetMapping("/v2/_catalog")
    ResponseEntity<Catalog> catalog(@RequestParam(name = "n", required = false) String count,
            @RequestParam(required = false) String last, HttpServletRequest request) {
        Integer n = pageSize(count);
        Page page = discovery.catalog(n, last, callers.visibleTo(RegistryRequests.token(request)));
        return withLink(page, "/v2/_catalog", n).body(new Catalog(page.items()));
    }

    @GetMapping("/v2/{name}/referrers/{digest}")
    ResponseEntity<ReferrersIndex> referrers(@PathVariable String name, @PathVariable String digest,
            @RequestParam(required = false) String artifactType) {
        List<Descriptor> referrers = discovery.referrers(new RepositoryName(name), digest, artifactType);
        List<ReferrerDescriptor> descriptors = referrers.stream()
                .map(d -> new ReferrerDescriptor(d.mediaType(), d.digest().toString(), d.size(), d.artifactType(),
                        d.annotations().isEmpty() ? null : d.annotations()))
                .toList();
        ResponseEntity.BodyBuilder response = ResponseEntity.ok().contentType(MediaType.parseMediaType(MediaTypes.OCI_INDEX));
        if (artifactType != null) {
            response.header("OCI-Filters-Applied", "artifactType");
        }
        return response.body(new ReferrersIndex(2, MediaTypes.OCI_INDEX, descriptors));
    }

    /** {@code n} as a client sent it: digits only; more than an int holds is simply more than any page holds. */
    private static Integer pageSize(String n) {
        if (n == null || n.isEmpty()) {
            return null;
        }
        if (!n.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new RegistryException(RegistryError.PAGINATION_NUMBER_INVALID,
                    "n must be a number of results, 0 or more", null);
        }
        try {
            return Integer.valueOf(n);
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    private static ResponseEntity.BodyBuilder withLink(Page page, String path, Integer n) {
        ResponseEntity.BodyBuilder response = ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON);
        if (page.next() != null) {
            String query = "?last=" + URLEncoder.encode(page.next(), StandardCharsets.UTF_8)
                    + (n != null ? "&n=" + n : "");
            response.header(HttpHeaders.LINK, "<" + path + query + ">; rel=\"next\"");
        }
        return response;
    }
}
