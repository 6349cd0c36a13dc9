package io.berth.hub.metadata;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.berth.common.Digest;

/**
 * Raw HTTP against a Berth process, so the test sees exactly what the registry answers. (The same few lines as
 * io.berth.hub.distribution.RegistryClient, which is package-private there.)
 */
final class RegistryHttp {

    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI base;

    RegistryHttp(URI base) {
        this.base = base;
    }

    /** An image as pushed: its manifest's bytes and digest, and its one layer. */
    record Image(byte[] manifest, Digest digest, Digest config, Digest layer) {
    }

    HttpResponse<byte[]> send(String method, String path, byte[] body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
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

    /** GET that must answer {@code status}; returns the body as JSON. */
    JsonNode getJson(String path, int status) {
        return json(expect(get(path), status));
    }

    /** Pushes a blob with POST + PUT and returns its digest. */
    Digest pushBlob(String repository, byte[] content) {
        Digest digest = Digest.sha256(content);
        String location = expect(send("POST", "/v2/" + repository + "/blobs/uploads/", null), 202)
                .headers().firstValue("Location").orElseThrow();
        String separator = location.contains("?") ? "&" : "?";
        expect(send("PUT", location + separator + "digest=" + digest, content,
                "Content-Type", "application/octet-stream"), 201);
        return digest;
    }

    void putManifest(String repository, String reference, byte[] manifest) {
        expect(send("PUT", "/v2/" + repository + "/manifests/" + reference, manifest, "Content-Type", OCI_MANIFEST), 201);
    }

    /** Pushes a config and a layer of its own (unique bytes) and an OCI manifest for them, tagged {@code tag}. */
    Image pushImage(String repository, String tag) {
        byte[] config = bytes("{\"architecture\":\"amd64\",\"os\":\"linux\",\"author\":\"" + UUID.randomUUID() + "\"}");
        byte[] layer = bytes("layer " + UUID.randomUUID());
        Digest configDigest = pushBlob(repository, config);
        Digest layerDigest = pushBlob(repository, layer);
        byte[] manifest = bytes("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":"
                + descriptor("application/vnd.oci.image.config.v1+json", configDigest, config.length) + ",\"layers\":["
                + descriptor("application/vnd.oci.image.layer.v1.tar", layerDigest, layer.length) + "]}");
        putManifest(repository, tag, manifest);
        return new Image(manifest, Digest.sha256(manifest), configDigest, layerDigest);
    }

    /** Follows {@code Link: <...>; rel="next"} from {@code firstPage}; returns each page's {@code field} array. */
    List<List<String>> pages(String firstPage, String field) {
        List<List<String>> pages = new ArrayList<>();
        String next = firstPage;
        while (next != null) {
            HttpResponse<byte[]> page = expect(get(next), 200);
            pages.add(strings(json(page).get(field)));
            next = page.headers().firstValue("Link").map(RegistryHttp::linkTarget).orElse(null);
            if (pages.size() > 100) {
                throw new AssertionError("pagination does not end; last Link: " + next);
            }
        }
        return pages;
    }

    static String descriptor(String mediaType, Digest digest, long size) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static JsonNode json(HttpResponse<byte[]> response) {
        return JSON.readTree(response.body());
    }

    static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        if (array != null && !array.isNull()) {
            array.forEach(node -> values.add(node.asString()));
        }
        return values;
    }

    static HttpResponse<byte[]> expect(HttpResponse<byte[]> response, int status) {
        if (response.statusCode() != status) {
            throw new AssertionError("expected " + status + " but got " + response.statusCode() + " for "
                    + response.request().method() + " " + response.request().uri() + ": "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
        return response;
    }

    /** {@code </v2/x/tags/list?last=a&n=2>; rel="next"} → {@code /v2/x/tags/list?last=a&n=2}. */
    private static String linkTarget(String link) {
        if (!link.contains("rel=\"next\"")) {
            throw new AssertionError("Link header without rel=\"next\": " + link);
        }
        return link.substring(link.indexOf('<') + 1, link.indexOf('>'));
    }
}
