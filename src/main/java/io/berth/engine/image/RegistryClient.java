package io.berth.engine.image;

import static io.berth.common.error.ErrorKind.DENIED;
import static io.berth.common.error.ErrorKind.FAILED;
import static io.berth.common.error.ErrorKind.NOT_FOUND;
import static io.berth.common.error.ErrorKind.TOO_MANY_REQUESTS;
import static io.berth.common.error.ErrorKind.UNAUTHORIZED;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.stereotype.Component;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.berth.common.Digest;
import io.berth.common.error.BerthException;
import io.berth.common.error.ErrorKind;
import io.berth.common.oci.ManifestInvalidException;
import io.berth.common.oci.ManifestParser;
import io.berth.common.oci.MediaTypes;
import io.berth.common.oci.ParsedManifest;
import io.berth.engine.EngineProperties;
import io.berth.engine.OnEngine;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Talks to registries as dockerd does: the Docker token protocol (a {@code 401} Bearer challenge from {@code /v2/},
 * a token for {@code repository:<path>:pull} (or {@code pull,push}) from the realm, Basic credentials when the pull carries some), tokens
 * cached per registry, scope and account. Loopback registries and those in {@code berth.engine.insecure-registries}
 * speak plain HTTP; every other registry HTTPS.
 */
@Component
@OnEngine
public class RegistryClient {

    /** A manifest as fetched: its bytes, what they say and the digest of the bytes. */
    public record FetchedManifest(byte[] body, ParsedManifest parsed, Digest digest) {

        public String mediaType() {
            return parsed.mediaType();
        }
    }

    /** A registry's error body ({@code {"errors":[{"code","message","detail"}]}}), as far as it is read here. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    private record RegistryErrors(List<RegistryError> errors) {

        Optional<RegistryError> first() {
            return errors == null || errors.isEmpty() || errors.get(0) == null ? Optional.empty()
                    : Optional.of(errors.get(0));
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    private record RegistryError(String code, String message) {
    }

    /** A token endpoint's answer (Docker token spec): {@code token}, or OAuth2's {@code access_token}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    private record TokenResponse(String token, @JsonProperty("access_token") String accessToken,
            @JsonProperty("expires_in") Long expiresIn) {
    }

    private static final Pattern PARAMETER = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration TOKEN_MARGIN = Duration.ofSeconds(10);
    private static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
    private static final int MAX_REDIRECTS = 5;

    private final HttpClient http;
    private final JsonMapper json;
    private final ManifestParser manifests = new ManifestParser();
    private final Set<String> insecureRegistries;
    private final Clock clock = Clock.systemUTC();
    /** Per registry host: the challenge its /v2/ answered with (an empty map when it needs no auth). */
    private final Map<String, Map<String, String>> challenges = new ConcurrentHashMap<>();
    private final Map<String, CachedToken> tokens = new ConcurrentHashMap<>();

    private record CachedToken(String token, Instant expires) {
    }

    public RegistryClient(EngineProperties properties, JsonMapper json) {
        this.json = json;
        this.insecureRegistries = Set.copyOf(properties.insecureRegistries());
        // Redirects are followed by hand: a blob redirect (to object storage) must not carry the registry's token.
        this.http = HttpClient.newBuilder()
                .connectTimeout(TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Fetches {@code reference} (a tag or a digest) of the repository {@code image} names. */
    public FetchedManifest manifest(ImageReference image, String reference, RegistryAuth auth) {
        HttpResponse<InputStream> response = get(image, "manifests/" + reference, MediaTypes.PULL_ACCEPT, auth);
        try (InputStream body = response.body()) {
            int status = response.statusCode();
            if (status == 404) {
                throw new BerthException(NOT_FOUND, "manifest for " + image.familiar() + " not found: manifest unknown: "
                        + registryMessage(body, "manifest unknown"));
            }
            failUnlessOk(image, response, body);
            byte[] bytes = body.readNBytes(MAX_MANIFEST_BYTES + 1);
            if (bytes.length > MAX_MANIFEST_BYTES) {
                throw new BerthException(FAILED, "manifest for " + image.familiar() + " exceeds "
                        + MAX_MANIFEST_BYTES + " bytes");
            }
            ParsedManifest parsed;
            try {
                parsed = manifests.parse(bytes, response.headers().firstValue("Content-Type").orElse(null));
            } catch (ManifestInvalidException e) {
                throw new BerthException(FAILED, "invalid manifest for " + image.familiar() + ": " + e.getMessage());
            }
            return new FetchedManifest(bytes, parsed, Digest.sha256(bytes));
        } catch (IOException e) {
            throw new BerthException(FAILED, "cannot read manifest of " + image.familiar() + ": " + e.getMessage(), e);
        }
    }

    /** Opens blob {@code digest} of the repository; the caller closes the stream. */
    public InputStream blob(ImageReference image, Digest digest, RegistryAuth auth) throws IOException {
        HttpResponse<InputStream> response = get(image, "blobs/" + digest, "*/*", auth);
        if (response.statusCode() != 200) {
            try (InputStream body = response.body()) {
                if (response.statusCode() == 404) {
                    throw new BerthException(NOT_FOUND, "blob " + digest + " of " + image.name() + " not found: "
                            + registryMessage(body, "blob unknown"));
                }
                failUnlessOk(image, response, body);
            }
        }
        return response.body();
    }

    private HttpResponse<InputStream> get(ImageReference image, String resource, String accept, RegistryAuth auth) {
        URI uri = base(image).resolve(image.path() + "/" + resource);
        return exchange(image, List.of(pullScope(image)), auth,
                authorization -> follow(uri, accept, authorization));
    }

    /**
     * {@code docker login}: checks {@code auth} against the registry at {@code domain} (a Bearer registry must hand
     * out a token for them, a Basic one must accept them on /v2/). Fails (401) with the registry's refusal.
     */
    public void login(String domain, RegistryAuth auth) {
        // A repository-less reference to the registry: only its domain is used.
        ImageReference registryRoot = new ImageReference(domain, "login", null, null);
        try {
            Map<String, String> challenge = ping(registryRoot);
            if (challenge.isEmpty()) {
                return;
            }
            if ("bearer".equals(challenge.get("scheme"))) {
                fetchToken(registryRoot, challenge, List.of(), auth);
                return;
            }
            HttpResponse<Void> response = http.send(request(base(registryRoot), basic(auth)).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() != 200) {
                throw new BerthException(UNAUTHORIZED, "login attempt to " + base(registryRoot) + " failed with status: "
                        + response.statusCode());
            }
        } catch (IOException e) {
            throw new BerthException(FAILED, "cannot reach registry " + domain + ": " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BerthException(FAILED, "interrupted while talking to " + domain, e);
        }
    }

    // ---- push ----------------------------------------------------------------------------------------------------

    /** Whether the repository {@code target} names already has blob {@code digest} (HEAD, with push access). */
    public boolean blobExists(ImageReference target, Digest digest, RegistryAuth auth) {
        URI uri = base(target).resolve(target.path() + "/blobs/" + digest);
        HttpResponse<InputStream> response = exchange(target, List.of(pushScope(target)), auth,
                authorization -> http.send(request(uri, authorization).method("HEAD", HttpRequest.BodyPublishers.noBody())
                        .build(), HttpResponse.BodyHandlers.ofInputStream()));
        try (InputStream body = response.body()) {
            if (response.statusCode() == 404) {
                return false;
            }
            failUnlessPushOk(target, response, body, 200);
            return true;
        } catch (IOException e) {
            throw new BerthException(FAILED, "cannot reach registry " + target.domain() + ": " + describe(e), e);
        }
    }

    /**
     * Asks the registry to mount blob {@code digest} from the repository {@code fromPath} of the same registry (null:
     * none, just open an upload). Null when the blob was mounted, else the upload session to send it to.
     */
    public URI mountOrStartUpload(ImageReference target, Digest digest, String fromPath, RegistryAuth auth) {
        String query = fromPath == null ? "" : "?mount=" + encode(digest.toString()) + "&from=" + encode(fromPath);
        URI uri = base(target).resolve(target.path() + "/blobs/uploads/" + query);
        List<String> scopes = fromPath == null ? List.of(pushScope(target))
                : List.of(pushScope(target), "repository:" + fromPath + ":pull");
        HttpResponse<InputStream> response = exchange(target, scopes, auth,
                authorization -> http.send(request(uri, authorization).POST(HttpRequest.BodyPublishers.noBody())
                        .build(), HttpResponse.BodyHandlers.ofInputStream()));
        try (InputStream body = response.body()) {
            if (response.statusCode() == 201 && fromPath != null) {
                return null;
            }
            failUnlessPushOk(target, response, body, 202);
            String location = response.headers().firstValue("Location").orElseThrow(() -> new BerthException(FAILED, "registry " + target.domain() + " opened an upload without a Location"));
            return uri.resolve(location);
        } catch (IOException e) {
            throw new BerthException(FAILED, "cannot reach registry " + target.domain() + ": " + describe(e), e);
        }
    }

    /**
     * Sends blob {@code digest} ({@code size} bytes, read from {@code content} each time it is called) in one
     * request to the upload session, telling {@code progress} the bytes sent so far.
     */
    public void uploadBlob(ImageReference target, URI session, Digest digest, long size,
            java.util.function.Supplier<InputStream> content, java.util.function.LongConsumer progress,
            RegistryAuth auth) {
        String separator = session.getRawQuery() == null ? "?" : "&";
        URI uri = URI.create(session + separator + "digest=" + encode(digest.toString()));
        HttpResponse<InputStream> response = exchange(target, List.of(pushScope(target)), auth,
                authorization -> http.send(request(uri, authorization)
                        .header("Content-Type", "application/octet-stream")
                        .PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(
                                () -> new CountingInputStream(content.get(), progress)), size))
                        .build(), HttpResponse.BodyHandlers.ofInputStream()));
        try (InputStream body = response.body()) {
            failUnlessPushOk(target, response, body, 201);
        } catch (IOException e) {
            throw new BerthException(FAILED, "cannot reach registry " + target.domain() + ": " + describe(e), e);
        }
    }

    /** Puts {@code manifest} under {@code reference} (a tag); the digest the registry gives it. */
    public Digest putManifest(ImageReference target, String reference, byte[] manifest, String mediaType,
            RegistryAuth auth) {
        URI uri = base(target).resolve(target.path() + "/manifests/" + reference);
        HttpResponse<InputStream> response = exchange(target, List.of(pushScope(target)), auth,
                authorization -> http.send(request(uri, authorization).header("Content-Type", mediaType)
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)).build(),
                        HttpResponse.BodyHandlers.ofInputStream()));
        try (InputStream body = response.body()) {
            failUnlessPushOk(target, response, body, 201);
            return response.headers().firstValue("Docker-Content-Digest").map(Digest::parse)
                    .orElse(Digest.sha256(manifest));
        } catch (IOException e) {
            throw new BerthException(FAILED, "cannot reach registry " + target.domain() + ": " + describe(e), e);
        }
    }

    private HttpRequest.Builder request(URI uri, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return request;
    }

    /** Push errors in dockerd's words: the registry's error code in lower case, then its message. */
    private void failUnlessPushOk(ImageReference target, HttpResponse<InputStream> response, InputStream body,
            int expected) throws IOException {
        int status = response.statusCode();
        if (status == expected) {
            return;
        }
        Optional<RegistryError> first = registryError(body);
        String code = first.map(RegistryError::code).orElse("");
        String message = first.map(RegistryError::message).orElse("");
        if (code.isEmpty() && (status == 401 || status == 403)) {
            code = status == 401 ? "UNAUTHORIZED" : "DENIED";
            message = status == 401 ? "authentication required" : "requested access to the resource is denied";
        }
        String text = code.isEmpty() ? "registry " + target.domain() + " answered " + status
                : code.toLowerCase(java.util.Locale.ROOT) + ": " + (message.isEmpty() ? "HTTP " + status : message);
        throw new BerthException(status == 401 ? UNAUTHORIZED : status == 403 ? DENIED : FAILED, text);
    }

    /** A request that needs a token for {@code scopes}, sent again once with a fresh token when it gets a 401. */
    private HttpResponse<InputStream> exchange(ImageReference image, List<String> scopes, RegistryAuth auth,
            Exchange exchange) {
        try {
            HttpResponse<InputStream> response = exchange.send(authorization(image, scopes, auth, false));
            if (response.statusCode() == 401) {
                // The cached token expired early or was revoked: fetch a fresh one, once.
                response.body().close();
                response = exchange.send(authorization(image, scopes, auth, true));
            }
            return response;
        } catch (IOException e) {
            throw new BerthException(FAILED, "cannot reach registry " + image.domain() + ": " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BerthException(FAILED, "interrupted while talking to " + image.domain(), e);
        }
    }

    @FunctionalInterface
    private interface Exchange {
        HttpResponse<InputStream> send(String authorization) throws IOException, InterruptedException;
    }

    private static String pullScope(ImageReference image) {
        return "repository:" + image.path() + ":pull";
    }

    private static String pushScope(ImageReference image) {
        return "repository:" + image.path() + ":pull,push";
    }

    private HttpResponse<InputStream> follow(URI uri, String accept, String authorization)
            throws IOException, InterruptedException {
        URI current = uri;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(current).timeout(TIMEOUT).GET()
                    .header("Accept", accept);
            // Credentials only go to the registry itself, never to where it redirects (object storage, a CDN).
            if (authorization != null && sameOrigin(current, uri)) {
                request.header("Authorization", authorization);
            }
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            int status = response.statusCode();
            if (status < 300 || status >= 400 || response.headers().firstValue("Location").isEmpty()) {
                return response;
            }
            response.body().close();
            current = current.resolve(response.headers().firstValue("Location").get());
        }
        throw new IOException("too many redirects from " + uri);
    }

    /** The Authorization header for {@code scope}, or null when the registry asks for none. */
    private String authorization(ImageReference image, List<String> scopes, RegistryAuth auth, boolean refresh)
            throws IOException, InterruptedException {
        String host = image.registryHost();
        Map<String, String> challenge = refresh ? ping(image) : challenges.get(host);
        if (challenge == null) {
            challenge = ping(image);
        }
        if (challenge.isEmpty()) {
            return null;
        }
        if ("basic".equals(challenge.get("scheme"))) {
            return auth.anonymous() || auth.username() == null ? null : basic(auth);
        }
        String key = host + " " + String.join(" ", scopes) + " " + auth.cacheKey();
        CachedToken cached = tokens.get(key);
        if (!refresh && cached != null && clock.instant().isBefore(cached.expires())) {
            return "Bearer " + cached.token();
        }
        CachedToken fresh = fetchToken(image, challenge, scopes, auth);
        tokens.put(key, fresh);
        return "Bearer " + fresh.token();
    }

    /** GET /v2/: learns whether and how the registry wants callers to authenticate. */
    private Map<String, String> ping(ImageReference image) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base(image)).timeout(TIMEOUT).GET().build();
        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
        Map<String, String> challenge = new LinkedHashMap<>();
        if (response.statusCode() == 401) {
            String header = response.headers().firstValue("WWW-Authenticate").orElse("");
            String lower = header.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("bearer ")) {
                challenge.put("scheme", "bearer");
                Matcher matcher = PARAMETER.matcher(header);
                while (matcher.find()) {
                    challenge.put(matcher.group(1).toLowerCase(java.util.Locale.ROOT), matcher.group(2));
                }
                if (!challenge.containsKey("realm")) {
                    throw new BerthException(FAILED, "registry " + image.domain() + " sent a Bearer challenge "
                            + "without realm");
                }
            } else {
                challenge.put("scheme", "basic");
            }
        } else if (response.statusCode() != 200) {
            throw new BerthException(FAILED, "registry " + image.domain() + " answered GET /v2/ with "
                    + response.statusCode());
        }
        challenges.put(image.registryHost(), Map.copyOf(challenge));
        return challenge;
    }

    private CachedToken fetchToken(ImageReference image, Map<String, String> challenge, List<String> scopes,
            RegistryAuth auth) throws IOException, InterruptedException {
        String service = challenge.getOrDefault("service", "");
        StringBuilder scopeParameters = new StringBuilder();
        for (String scope : scopes) {
            scopeParameters.append("&scope=").append(encode(scope));
        }
        HttpRequest.Builder request;
        if (auth.identityToken() != null) {
            // An identity token is an OAuth2 refresh token: trade it with a POST, as the docker CLI's helpers do.
            String form = "grant_type=refresh_token&client_id=berth&service=" + encode(service) + scopeParameters
                    + "&refresh_token=" + encode(auth.identityToken());
            request = HttpRequest.newBuilder(URI.create(challenge.get("realm")))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form));
        } else {
            String realm = challenge.get("realm");
            URI uri = URI.create(realm + (realm.contains("?") ? "&" : "?") + "service=" + encode(service)
                    + scopeParameters);
            request = HttpRequest.newBuilder(uri).GET();
            if (auth.username() != null) {
                request.header("Authorization", basic(auth));
            }
        }
        HttpResponse<byte[]> response = http.send(request.timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            throw new BerthException(UNAUTHORIZED, "Get \"" + challenge.get("realm") + "\": unauthorized: "
                    + "incorrect username or password for " + image.domain());
        }
        if (response.statusCode() != 200) {
            throw tokenRefused(image, challenge.get("realm"), response);
        }
        TokenResponse answer;
        try {
            answer = json.readValue(response.body(), TokenResponse.class);
        } catch (JacksonException e) {
            throw new BerthException(FAILED, "token endpoint of " + image.domain() + " sent invalid JSON");
        }
        String token = answer == null ? null : answer.token() != null ? answer.token() : answer.accessToken();
        if (token == null || token.isEmpty()) {
            throw new BerthException(FAILED, "token endpoint of " + image.domain() + " sent no token");
        }
        long seconds = Math.max(answer.expiresIn() == null ? 60 : answer.expiresIn(), 60);
        return new CachedToken(token, clock.instant().plusSeconds(seconds).minus(TOKEN_MARGIN));
    }

    /**
     * A token endpoint's refusal other than of the credentials, in dockerd's words: the error's code in lower case and
     * its message (a throttled login says why and for how long), or the status alone when the body is no error.
     */
    private BerthException tokenRefused(ImageReference image, String realm, HttpResponse<byte[]> response)
            throws IOException {
        int status = response.statusCode();
        ErrorKind kind = status == 429 ? TOO_MANY_REQUESTS : FAILED;
        Optional<RegistryError> error = registryError(new ByteArrayInputStream(response.body()))
                .filter(first -> first.code() != null && first.message() != null && !first.message().isEmpty());
        if (error.isEmpty()) {
            return new BerthException(kind, "token endpoint of " + image.domain() + " answered " + status);
        }
        return new BerthException(kind, "Get \"" + realm + "\": " + error.get().code().toLowerCase(Locale.ROOT) + ": "
                + error.get().message());
    }

    private void failUnlessOk(ImageReference image, HttpResponse<InputStream> response, InputStream body)
            throws IOException {
        int status = response.statusCode();
        if (status == 200) {
            return;
        }
        String message = registryMessage(body, "HTTP " + status);
        if (status == 401 || status == 403) {
            // dockerd's words, so that clients and people recognise the case.
            throw new BerthException(NOT_FOUND, "pull access denied for " + image.familiarName()
                    + ", repository does not exist or may require 'docker login': denied: " + message);
        }
        throw new BerthException(FAILED, "registry " + image.domain() + " answered " + status + ": " + message);
    }

    /** The first error message of a registry's {@code {"errors":[...]}} body, or {@code fallback}. */
    private String registryMessage(InputStream body, String fallback) {
        try {
            String message = registryError(body).map(RegistryError::message).orElse("");
            return message == null || message.isEmpty() ? fallback : message;
        } catch (IOException e) {
            return fallback;
        }
    }

    /** The first error of a registry's error body; none when the body is not one (an HTML page, nothing). */
    private Optional<RegistryError> registryError(InputStream body) throws IOException {
        try {
            RegistryErrors errors = json.readValue(body.readNBytes(64 * 1024), RegistryErrors.class);
            return errors == null ? Optional.empty() : errors.first();
        } catch (JacksonException e) {
            return Optional.empty();
        }
    }

    URI base(ImageReference image) {
        String host = image.registryHost();
        String scheme = insecureRegistries.contains(image.domain()) || isLoopback(host) ? "http" : "https";
        return URI.create(scheme + "://" + host + "/v2/");
    }

    static boolean isLoopback(String hostAndPort) {
        String host = hostAndPort;
        if (host.startsWith("[")) {
            host = host.substring(1, host.indexOf(']'));
        } else if (host.indexOf(':') >= 0 && host.indexOf(':') == host.lastIndexOf(':')) {
            host = host.substring(0, host.indexOf(':'));
        }
        if (host.equals("localhost")) {
            return true;
        }
        // Only literal addresses: resolving a name to decide on plain HTTP would let DNS downgrade the transport.
        if (!host.matches("[0-9.]+") && !host.contains(":")) {
            return false;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equals(b.getScheme()) && a.getAuthority().equals(b.getAuthority());
    }

    private static String basic(RegistryAuth auth) {
        return "Basic " + Base64.getEncoder().encodeToString(
                (auth.username() + ":" + auth.password()).getBytes(StandardCharsets.UTF_8));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
