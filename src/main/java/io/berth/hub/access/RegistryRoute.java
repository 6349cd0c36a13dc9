package io.berth.hub.access;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a Distribution API path addresses. A repository name holds any number of slashes ({@code a/b/c}), so it is
 * found by the fixed suffix that ends it, most specific first. Both the authorization in front of the API (which
 * repository, which action) and the routing to controllers read paths this way, so they cannot disagree.
 *
 * @param repository the repository name, or null for the base, the catalog and unknown paths
 * @param kind       what under the repository, or the base or catalog
 * @param suffix     the path after the name, such as {@code /manifests/latest}; the whole path when there is no name
 */
public record RegistryRoute(String repository, Kind kind, String suffix) {

    public enum Kind { BASE, CATALOG, UPLOAD_START, UPLOAD, BLOB, MANIFEST, TAGS, REFERRERS, OTHER }

    private record Suffix(Pattern pattern, Kind kind) {
    }

    private static final List<Suffix> ROUTES = List.of(
            new Suffix(Pattern.compile("^/v2/(.+)(/blobs/uploads/?)$"), Kind.UPLOAD_START),
            new Suffix(Pattern.compile("^/v2/(.+)(/blobs/uploads/[^/]+)$"), Kind.UPLOAD),
            new Suffix(Pattern.compile("^/v2/(.+)(/blobs/[^/]+)$"), Kind.BLOB),
            new Suffix(Pattern.compile("^/v2/(.+)(/manifests/[^/]+)$"), Kind.MANIFEST),
            new Suffix(Pattern.compile("^/v2/(.+)(/tags/list)$"), Kind.TAGS),
            new Suffix(Pattern.compile("^/v2/(.+)(/referrers/[^/]+)$"), Kind.REFERRERS));

    /** Reads a request path under {@code /v2/} as the client sent it (not decoded). */
    public static RegistryRoute of(String path) {
        if (path.equals("/v2/")) {
            return new RegistryRoute(null, Kind.BASE, path);
        }
        if (path.equals("/v2/_catalog")) {
            return new RegistryRoute(null, Kind.CATALOG, path);
        }
        for (Suffix route : ROUTES) {
            Matcher matcher = route.pattern().matcher(path);
            if (matcher.matches()) {
                String suffix = route.kind() == Kind.UPLOAD_START ? "/blobs/uploads/" : matcher.group(2);
                return new RegistryRoute(matcher.group(1), route.kind(), suffix);
            }
        }
        return new RegistryRoute(null, Kind.OTHER, path);
    }

    /**
     * The token protocol actions a request needs on the repository: reading needs {@code pull}; every step of an
     * upload and a manifest put need {@code pull} and {@code push} (as the reference registry asks); deleting a
     * manifest, tag or blob needs {@code delete}. Empty when the route has no repository.
     */
    public List<String> requiredActions(String method) {
        if (repository == null) {
            return List.of();
        }
        return switch (kind) {
            case UPLOAD_START, UPLOAD -> List.of("pull", "push");
            case MANIFEST, BLOB -> switch (method) {
                case "GET", "HEAD" -> List.of("pull");
                case "DELETE" -> List.of("delete");
                default -> List.of("pull", "push");
            };
            default -> List.of("pull");
        };
    }
}
