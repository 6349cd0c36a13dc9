package io.berth.hub.distribution;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.berth.common.Digest;
import io.berth.common.DigestAlgorithm;

/** A small raw-HTTP client for the Distribution API, so tests see exactly what the registry answers. */
final class RegistryClient {

    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI base;

    RegistryClient(URI base) {
        this.base = base;
    }

    HttpResponse<byte[]> send(String method, String path, byte[] body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(path.startsWith("http") ? URI.create(path) : base.resolve(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<byte[]> get(String path, String... headers) {
        return send("GET", path, null, headers);
    }

    HttpResponse<byte[]> head(String path, String... headers) {
        return send("HEAD", path, null, headers);
    }

    /** Pushes a blob with POST + PUT and returns its digest. */
    Digest pushBlob(String repository, byte[] content) {
        return pushBlob(repository, content, DigestAlgorithm.SHA256);
    }

    Digest pushBlob(String repository, byte[] content, DigestAlgorithm algorithm) {
        Digest digest = Digest.of(algorithm, content);
        HttpResponse<byte[]> start = send("POST", "/v2/" + repository + "/blobs/uploads/", null);
        expect(start, 202);
        String location = start.headers().firstValue("Location").orElseThrow();
        expect(send("PUT", location + "?digest=" + digest, content, "Content-Type", "application/octet-stream"), 201);
        return digest;
    }

    /** Pushes a manifest under a tag or digest and returns the response. */
    HttpResponse<byte[]> putManifest(String repository, String reference, String mediaType, byte[] content) {
        return send("PUT", "/v2/" + repository + "/manifests/" + reference, content, "Content-Type", mediaType);
    }

    static HttpResponse<byte[]> expect(HttpResponse<byte[]> response, int status) {
        if (response.statusCode() != status) {
            throw new AssertionError("expected " + status + " but got " + response.statusCode() + " for "
                    + response.request().method() + " " + response.request().uri() + ": " + new String(response.body()));
        }
        return response;
    }
}
