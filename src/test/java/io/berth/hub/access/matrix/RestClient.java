package io.berth.hub.access.matrix;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** The REST API under {@code /api/v1} as a script calls it: JSON, with a personal access token or nothing. */
public final class RestClient {

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final URI base;
    /** The Authorization header, or null for an anonymous caller. */
    private final String authorization;

    private RestClient(URI base, String authorization) {
        this.base = base;
        this.authorization = authorization;
    }

    /** Signs every request with {@code Authorization: Bearer <personal access token>}. */
    public static RestClient withAccessToken(URI base, String token) {
        return new RestClient(base, "Bearer " + token);
    }

    public static RestClient anonymous(URI base) {
        return new RestClient(base, null);
    }

    /** {@code path} is under the server root, e.g. {@code /api/v1/repositories/acme/app}; {@code json} may be null. */
    public HttpResponse<byte[]> send(String method, String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .header("Accept", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
