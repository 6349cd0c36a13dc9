package io.berth.hub.access.matrix;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One HTTP request of the matrix, as data, so that the same request can go to the repository under test and to the
 * missing one, and so that what the client itself said can be told from what the server leaked.
 *
 * @param headers     name, value pairs
 * @param tokenScopes the scopes to fetch a token for and send it with, as docker does for a mount (it asks for the
 *                    source repository too); null to follow the registry's challenge instead
 */
public record Request(String method, String path, byte[] body, List<String> headers, List<String> tokenScopes) {

    public Request {
        headers = List.copyOf(headers);
        tokenScopes = tokenScopes == null ? null : List.copyOf(tokenScopes);
    }

    public static Request of(String method, String path, String... headers) {
        return new Request(method, path, null, List.of(headers), null);
    }

    public Request withBody(byte[] content) {
        return new Request(method, path, content, headers, tokenScopes);
    }

    public Request withTokenScopes(String... scopes) {
        return new Request(method, path, body, headers, List.of(scopes));
    }

    public String[] headerArray() {
        return headers.toArray(String[]::new);
    }

    /** Everything the client puts in the request, raw and URL-decoded: the server may echo any of it. */
    public String sentText() {
        return String.join("\n", path, URLDecoder.decode(path, StandardCharsets.UTF_8), String.join("\n", headers),
                tokenScopes == null ? "" : String.join("\n", tokenScopes),
                body == null ? "" : new String(body, StandardCharsets.ISO_8859_1));
    }

    @Override
    public String toString() {
        return method + " " + path;
    }
}
