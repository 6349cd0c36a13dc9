package io.berth.support;

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
import io.berth.common.DigestAlgorithm;

/**
 * Raw HTTP against the Distribution API, so tests see exactly what the registry answers, plus small hand-made
 * manifests whose exact bytes the tests control.
 */
public final class RegistryClient {

    public static final String OCI_MANIFEST = OciImages.MANIFEST_TYPE;
    public static final String OCI_INDEX = OciImages.INDEX_TYPE;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI base;

    public RegistryClient(URI base) {
        this.base = base;
    }

    /** How blobs go up: some tests must keep pushing with a single POST, as they always did. */
    public enum Upload {
        /** POST to open an upload, PUT with the digest to finish it. */
        POST_PUT,
        /** One POST with the digest and the whole blob. */
        MONOLITHIC
    }

    /** An image as pushed: where, its manifest's digest and bytes, and its config and one layer. */
    public record Image(String repository, String tag, Digest digest, byte[] manifest, Digest config, Digest layer) {

        /** Config and layer, the blobs the manifest references. */
        public List<Digest> blobs() {
            return List.of(config, layer);
        }
    }

    /** {@code headers} are name, value pairs; an absolute {@code path} (an upload Location) is used as is. */
    public HttpResponse<byte[]> send(String method, String path, byte[] body, String... headers) {
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

    public HttpResponse<byte[]> get(String path, String... headers) {
        return send("GET", path, null, headers);
    }

    public HttpResponse<byte[]> head(String path, String... headers) {
        return send("HEAD", path, null, headers);
    }

    /** GET that must answer {@code status}; returns the body as JSON. */
    public JsonNode getJson(String path, int status) {
        return json(expect(get(path), status));
    }

    /** Pushes a blob with POST + PUT and returns its sha256 digest. */
    public Digest pushBlob(String repository, byte[] content) {
        return pushBlob(repository, content, DigestAlgorithm.SHA256);
    }

    public Digest pushBlob(String repository, byte[] content, DigestAlgorithm algorithm) {
        Digest digest = Digest.of(algorithm, content);
        String location = expect(send("POST", "/v2/" + repository + "/blobs/uploads/", null), 202)
                .headers().firstValue("Location").orElseThrow();
        String separator = location.contains("?") ? "&" : "?";
        expect(send("PUT", location + separator + "digest=" + digest, content,
                "Content-Type", "application/octet-stream"), 201);
        return digest;
    }

    public Digest pushBlob(String repository, byte[] content, Upload upload) {
        if (upload == Upload.POST_PUT) {
            return pushBlob(repository, content);
        }
        Digest digest = Digest.sha256(content);
        expect(send("POST", "/v2/" + repository + "/blobs/uploads/?digest=" + digest, content), 201);
        return digest;
    }

    /** Pushes a manifest under a tag or digest and returns the response, whatever its status. */
    public HttpResponse<byte[]> putManifest(String repository, String reference, String mediaType, byte[] content) {
        return send("PUT", "/v2/" + repository + "/manifests/" + reference, content, "Content-Type", mediaType);
    }

    /** Pushes a unique config and layer and an OCI manifest for them, tagged {@code tag}. */
    public Image pushImage(String repository, String tag) {
        return pushImage(repository, tag, config(), bytes("layer " + UUID.randomUUID()), Upload.POST_PUT);
    }

    public Image pushImage(String repository, String tag, byte[] config, byte[] layer, Upload upload) {
        Digest configDigest = pushBlob(repository, config, upload);
        Digest layerDigest = pushBlob(repository, layer, upload);
        byte[] manifest = imageManifest(configDigest, config.length, layerDigest, layer.length);
        expect(putManifest(repository, tag, OCI_MANIFEST, manifest), 201);
        return new Image(repository, tag, Digest.sha256(manifest), manifest, configDigest, layerDigest);
    }

    /** Follows {@code Link: <...>; rel="next"} from {@code firstPage}; returns each page's {@code field} array. */
    public List<List<String>> pages(String firstPage, String field) {
        List<List<String>> pages = new ArrayList<>();
        String next = firstPage;
        while (next != null) {
            HttpResponse<byte[]> page = expect(get(next), 200);
            pages.add(strings(json(page).get(field)));
            next = page.headers().firstValue("Link").map(RegistryClient::linkTarget).orElse(null);
            if (pages.size() > 100) {
                throw new AssertionError("pagination does not end; last Link: " + next);
            }
        }
        return pages;
    }

    public static HttpResponse<byte[]> expect(HttpResponse<byte[]> response, int status) {
        if (response.statusCode() != status) {
            throw new AssertionError("expected " + status + " but got " + response.statusCode() + " for "
                    + response.request().method() + " " + response.request().uri() + ": "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
        return response;
    }

    public static JsonNode json(HttpResponse<byte[]> response) {
        return JSON.readTree(response.body());
    }

    public static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        if (array != null && !array.isNull()) {
            array.forEach(node -> values.add(node.asString()));
        }
        return values;
    }

    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A config blob of its own, so that its digest is new to the registry. */
    public static byte[] config() {
        return bytes("{\"architecture\":\"amd64\",\"os\":\"linux\",\"author\":\"" + UUID.randomUUID() + "\"}");
    }

    public static String descriptor(String mediaType, Digest digest, long size) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";
    }

    public static byte[] imageManifest(Digest config, long configSize, Digest layer, long layerSize) {
        return bytes("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":"
                + descriptor(OciImages.CONFIG_TYPE, config, configSize) + ",\"layers\":["
                + descriptor("application/vnd.oci.image.layer.v1.tar", layer, layerSize) + "]}");
    }

    /** {@code </v2/x/tags/list?last=a&n=2>; rel="next"} → {@code /v2/x/tags/list?last=a&n=2}. */
    private static String linkTarget(String link) {
        if (!link.contains("rel=\"next\"")) {
            throw new AssertionError("Link header without rel=\"next\": " + link);
        }
        return link.substring(link.indexOf('<') + 1, link.indexOf('>'));
    }
}
