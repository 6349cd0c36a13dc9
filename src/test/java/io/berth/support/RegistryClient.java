package io.berth.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.berth.common.Digest;
import io.berth.common.DigestAlgorithm;

/**
 * Raw HTTP against the Distribution API, so tests see exactly what the registry answers, plus small hand-made
 * manifests whose exact bytes the tests control.
 *
 * <p>Authenticates as docker and podman do (the Docker token protocol): a request answered 401 with a
 * {@code Bearer} challenge makes the client fetch a token for the challenge's scopes from its realm, with Basic
 * credentials when it has some, and send the request once more with that token. Tokens are kept per scope set until
 * shortly before they expire, and a request of the same kind (repository, and upload or method) sends the token its
 * kind needed last time straight away. What the retry answers is what {@link #send} returns, so tests still see
 * every status the registry gives an authenticated client; {@link #unauthenticated} sees the 401s themselves.
 */
public final class RegistryClient {

    public static final String OCI_MANIFEST = OciImages.MANIFEST_TYPE;
    public static final String OCI_INDEX = OciImages.INDEX_TYPE;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A token is dropped this long before it expires, so that it does not run out on its way to the registry. */
    private static final Duration EXPIRY_MARGIN = Duration.ofSeconds(10);
    /** The token spec's default when the token endpoint does not say how long a token lives. */
    private static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofSeconds(60);

    /** {@code /v2/<name>/blobs/...}, {@code /manifests/<ref>}, {@code /tags/list}, {@code /referrers/<digest>}. */
    private static final Pattern REPOSITORY_PATH = Pattern.compile(
            "/v2/(.+)/(blobs/uploads(?:/[^/]*)?|blobs/[^/]+|manifests/[^/]+|tags/list|referrers/[^/]+)");

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI base;
    private final boolean tokenFlow;
    /** {@code user:password}, or null for anonymous tokens. */
    private final String credentials;
    private final Map<Set<String>, CachedToken> tokens = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> scopesByRequestKind = new ConcurrentHashMap<>();

    private RegistryClient(URI base, boolean tokenFlow, String credentials) {
        this.base = base;
        this.tokenFlow = tokenFlow;
        this.credentials = credentials;
    }

    /** Authenticates as {@code user} when challenged, fetching tokens with Basic credentials. */
    public static RegistryClient as(URI base, String user, String password) {
        return new RegistryClient(base, true, user + ":" + password);
    }

    /** Follows challenges without credentials, as {@code docker pull} before {@code docker login} does. */
    public static RegistryClient anonymous(URI base) {
        return new RegistryClient(base, true, null);
    }

    /** Never authenticates: every answer, 401 included, comes back as the registry gave it. */
    public static RegistryClient unauthenticated(URI base) {
        return new RegistryClient(base, false, null);
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

    /**
     * {@code headers} are name, value pairs; an absolute {@code path} (an upload Location) is used as is. A request
     * that carries its own {@code Authorization} header is sent as it is, without the token flow.
     *
     * <p>When fetching a token fails (wrong password), the token endpoint's answer is returned: it says why.
     */
    public HttpResponse<byte[]> send(String method, String path, byte[] body, String... headers) {
        URI uri = resolve(path);
        if (!tokenFlow || hasHeader(headers, "Authorization")) {
            return exchange(method, uri, body, null, headers);
        }
        String kind = requestKind(method, uri);
        HttpResponse<byte[]> first = exchange(method, uri, body, cachedAuthorization(kind), headers);
        if (first.statusCode() != 401) {
            return first;
        }
        Optional<BearerChallenge> challenge = BearerChallenge.of(first);
        if (challenge.isEmpty()) {
            // A Basic challenge (the reference registry with htpasswd, say): docker answers it with the credentials.
            return credentials != null && hasBasicChallenge(first)
                    ? exchange(method, uri, body, basicAuthorization(), headers)
                    : first;
        }
        Set<String> scopes = new LinkedHashSet<>(challenge.get().scopes());
        mountSource(uri).ifPresent(source -> scopes.add("repository:" + source + ":pull"));
        HttpResponse<byte[]> tokenAnswer = tokenResponse(challenge.get().realm(), challenge.get().service(), scopes);
        if (tokenAnswer.statusCode() != 200) {
            return tokenAnswer;
        }
        CachedToken token = CachedToken.of(tokenAnswer);
        Set<String> scopeSet = Set.copyOf(scopes);
        tokens.put(scopeSet, token);
        scopesByRequestKind.put(kind, scopeSet);
        return exchange(method, uri, body, "Bearer " + token.value(), headers);
    }

    /** Sends the request with {@code Authorization: Bearer <token>} and nothing else: no challenge is followed. */
    public HttpResponse<byte[]> sendWithToken(String token, String method, String path, byte[] body, String... headers) {
        return exchange(method, resolve(path), body, "Bearer " + token, headers);
    }

    /**
     * A fresh token for {@code scopes} (e.g. {@code repository:library/busybox:pull,push}) from the realm the
     * registry names in its challenge to {@code GET /v2/}, with this client's credentials; fails the test unless the
     * token endpoint answers 200.
     */
    public String token(String... scopes) {
        return CachedToken.of(expect(tokenResponse(scopes), 200)).value();
    }

    /** The token endpoint's raw answer to a request for {@code scopes}, for tests of refusals. */
    public HttpResponse<byte[]> tokenResponse(String... scopes) {
        HttpResponse<byte[]> ping = exchange("GET", resolve("/v2/"), null, null);
        BearerChallenge challenge = BearerChallenge.of(ping).orElseThrow(() -> new AssertionError(
                "GET /v2/ answered " + ping.statusCode() + " without a Bearer challenge; headers: " + ping.headers().map()));
        return tokenResponse(challenge.realm(), challenge.service(), new LinkedHashSet<>(List.of(scopes)));
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

    /** Pushes an image OciImages built (its blobs, then its manifest as {@code repository:tag}); returns it. */
    public OciImages.Image push(String repository, String tag, OciImages.Image image) {
        for (OciImages.Blob blob : image.blobs()) {
            pushBlob(repository, blob.bytes());
        }
        expect(putManifest(repository, tag, OciImages.MANIFEST_TYPE, image.manifest().bytes()), 201);
        return image;
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

    /**
     * An {@code Authorization: Basic} value, for APIs outside the token protocol (the REST API) that take the
     * credentials with the request, as {@code curl -u} sends them.
     */
    public static String basic(String user, String password) {
        return basicOf(user + ":" + password);
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

    /** {@code GET <realm>?service=<service>&scope=<scope>&scope=...}, one parameter per scope, as docker asks. */
    private HttpResponse<byte[]> tokenResponse(String realm, String service, Set<String> scopes) {
        StringBuilder uri = new StringBuilder(realm);
        String separator = realm.contains("?") ? "&" : "?";
        if (service != null) {
            uri.append(separator).append("service=").append(urlEncode(service));
            separator = "&";
        }
        for (String scope : scopes) {
            uri.append(separator).append("scope=").append(urlEncode(scope));
            separator = "&";
        }
        return exchange("GET", URI.create(uri.toString()), null, credentials == null ? null : basicAuthorization());
    }

    private HttpResponse<byte[]> exchange(String method, URI uri, byte[] body, String authorization, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private URI resolve(String path) {
        return path.startsWith("http") ? URI.create(path) : base.resolve(path);
    }

    /** The token this kind of request needed last time, while it is still good; else null (send without one). */
    private String cachedAuthorization(String kind) {
        Set<String> scopes = scopesByRequestKind.get(kind);
        CachedToken token = scopes == null ? null : tokens.get(scopes);
        return token != null && token.isFresh() ? "Bearer " + token.value() : null;
    }

    /**
     * Requests of one kind need the same scopes: on one repository, every step of an upload (a push whatever the
     * method), a mount by its source too, and other requests by method (GET and HEAD read alike; a PUT is a push, a
     * DELETE a delete). Anything else (/v2/, the catalog) by method and path. A wrong guess costs one 401 only.
     */
    private static String requestKind(String method, URI uri) {
        String reading = method.equals("HEAD") ? "GET" : method;
        Matcher repository = REPOSITORY_PATH.matcher(uri.getPath());
        if (!repository.matches()) {
            return reading + " " + uri.getPath();
        }
        if (repository.group(2).startsWith("blobs/uploads")) {
            return "upload " + repository.group(1) + mountSource(uri).map(source -> " from " + source).orElse("");
        }
        return reading + " " + repository.group(1);
    }

    /**
     * The {@code from} of a cross-repository mount ({@code POST .../blobs/uploads/?mount=<digest>&from=<name>}). The
     * registry challenges for the target only, and a token without pull on the source makes it start a plain upload
     * instead (202, not 401); so docker asks for {@code repository:<from>:pull} too when it mounts, and so does this.
     */
    private static Optional<String> mountSource(URI uri) {
        if (uri.getRawQuery() == null || !uri.getPath().endsWith("/blobs/uploads/")) {
            return Optional.empty();
        }
        boolean mount = false;
        String from = null;
        for (String param : uri.getRawQuery().split("&")) {
            int equals = param.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? param : param.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(param.substring(equals + 1), StandardCharsets.UTF_8);
            mount |= name.equals("mount");
            from = name.equals("from") ? value : from;
        }
        return mount && from != null && !from.isEmpty() ? Optional.of(from) : Optional.empty();
    }

    private String basicAuthorization() {
        return basicOf(credentials);
    }

    private static String basicOf(String userAndPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean hasBasicChallenge(HttpResponse<byte[]> response) {
        return response.headers().allValues("WWW-Authenticate").stream()
                .anyMatch(header -> BearerChallenge.schemeOf(header).equalsIgnoreCase("basic"));
    }

    private static boolean hasHeader(String[] headers, String name) {
        for (int i = 0; i < headers.length; i += 2) {
            if (headers[i].equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    private static String urlEncode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** A token from the token endpoint and when to stop using it. */
    private record CachedToken(String value, Instant staleAt) {

        /** Reads {@code token} (or the OAuth {@code access_token}) and {@code expires_in} from a 200 answer. */
        static CachedToken of(HttpResponse<byte[]> answer) {
            Instant received = Instant.now();
            JsonNode json = json(answer);
            JsonNode token = json.hasNonNull("token") ? json.get("token") : json.get("access_token");
            if (token == null || token.asString().isEmpty()) {
                throw new AssertionError("token endpoint answered 200 without a token: "
                        + new String(answer.body(), StandardCharsets.UTF_8));
            }
            Duration lifetime = json.hasNonNull("expires_in") && json.get("expires_in").asLong() > 0
                    ? Duration.ofSeconds(json.get("expires_in").asLong())
                    : DEFAULT_TOKEN_LIFETIME;
            return new CachedToken(token.asString(), received.plus(lifetime).minus(EXPIRY_MARGIN));
        }

        boolean isFresh() {
            return Instant.now().isBefore(staleAt);
        }
    }

    /** {@code </v2/x/tags/list?last=a&n=2>; rel="next"} → {@code /v2/x/tags/list?last=a&n=2}. */
    private static String linkTarget(String link) {
        if (!link.contains("rel=\"next\"")) {
            throw new AssertionError("Link header without rel=\"next\": " + link);
        }
        return link.substring(link.indexOf('<') + 1, link.indexOf('>'));
    }
}
