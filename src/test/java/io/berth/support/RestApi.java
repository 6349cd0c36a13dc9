package io.berth.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A client of the Hub's REST API ({@code /api/v1}) as scripts and single-page applications call it: JSON bodies,
 * and either an {@code Authorization} header (basic credentials, a token as bearer) sent with every request, or the
 * browser session {@code POST /api/v1/login} opens, with its cookies kept as a browser keeps them (a renewed session
 * id replaces the old one) and the CSRF token sent back in {@code X-XSRF-TOKEN}.
 */
public final class RestApi {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI base;
    private final String authorization;
    private final HttpClient http;
    private final CookieManager cookies;

    private RestApi(URI base, String authorization, CookieManager cookies) {
        this.base = base;
        this.authorization = authorization;
        this.cookies = cookies;
        HttpClient.Builder builder = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER);
        this.http = (cookies == null ? builder : builder.cookieHandler(cookies)).build();
    }

    /** Requests with this {@code Authorization} value (null: none, anonymous). */
    public static RestApi with(URI base, String authorization) {
        return new RestApi(base, authorization, null);
    }

    /** Requests with basic credentials: a username and its password or one of its access tokens. */
    public static RestApi basic(URI base, String user, String secret) {
        return with(base, RegistryClient.basic(user, secret));
    }

    /** Requests with a personal access token as the bearer token. */
    public static RestApi bearer(URI base, String token) {
        return with(base, "Bearer " + token);
    }

    /** A browser session opened by {@code POST /api/v1/login}; fails the test when the sign-in is refused. */
    public static RestApi session(URI base, String user, String password) {
        RestApi session = new RestApi(base, null, new CookieManager());
        session.call("POST", "/api/v1/login", Map.of("username", user, "password", password)).expect(200);
        session.call("GET", "/api/v1/user", null).expect(200); // the answer sets the XSRF-TOKEN cookie
        return session;
    }

    /** {@code method path} with {@code body} as JSON (none when null). */
    public Answer call(String method, String path, Object body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        csrfToken().ifPresent(token -> request.header("X-XSRF-TOKEN", token));
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(method + " " + path, response.statusCode(), response.body(), response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Answer get(String path) {
        return call("GET", path, null);
    }

    private Optional<String> csrfToken() {
        if (cookies == null) {
            return Optional.empty();
        }
        return cookies.getCookieStore().get(base).stream()
                .filter(cookie -> cookie.getName().equals("XSRF-TOKEN")).map(HttpCookie::getValue).findFirst();
    }

    /** An answer: its status, body and headers. */
    public record Answer(String request, int status, String body, HttpHeaders headers) {

        /** Fails the test, with the body, unless the status is {@code expected}. */
        public Answer expect(int expected) {
            assertThat(status).as("%s answered %s", request, body).isEqualTo(expected);
            return this;
        }

        public JsonNode json() {
            return JSON.readTree(body);
        }

        /** The {@code message} of an error answer. */
        public String message() {
            return json().get("message").asString();
        }
    }
}
