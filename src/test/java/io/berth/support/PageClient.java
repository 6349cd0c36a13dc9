package io.berth.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser without JavaScript for tests of the web UI over HTTP: it keeps its cookies (one session per client),
 * follows no redirects (tests look at them), and posts forms with the CSRF token of the page they came from, as a
 * browser submitting that page's form would.
 */
public final class PageClient {

    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"");

    /** What Chromium asks for when it opens a page: error pages come as HTML rather than JSON then. */
    private static final String BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    private final URI base;
    private final HttpClient http;

    public PageClient(URI base) {
        this.base = base;
        this.http = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** A client that signed in with the sign-in page's form; fails the test when that did not work. */
    public static PageClient signedIn(URI base, String username, String password) {
        PageClient browser = new PageClient(base);
        HttpResponse<String> answer = browser.submit("/sign-in", "/sign-in", Map.of("username", username, "password", password));
        if (answer.statusCode() != 302) {
            throw new AssertionError("sign-in of " + username + " answered " + answer.statusCode() + ": " + answer.body());
        }
        return browser;
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Accept", BROWSER_ACCEPT).GET().build());
    }

    /**
     * Opens a stream a page's script reads (server-sent events) with this client's session: the lines come as the
     * server sends them. Close the stream to hang up.
     */
    public HttpResponse<java.util.stream.Stream<String>> lines(String path, String accept) {
        try {
            return http.send(HttpRequest.newBuilder(base.resolve(path)).header("Accept", accept).GET().build(),
                    HttpResponse.BodyHandlers.ofLines());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Posts a form as the page at {@code formPage} would: with the CSRF token that page carries. */
    public HttpResponse<String> submit(String formPage, String action, Map<String, String> fields) {
        HttpResponse<String> page = get(formPage);
        Matcher token = CSRF_FIELD.matcher(page.body());
        if (!token.find()) {
            throw new AssertionError(formPage + " (" + page.statusCode() + ") has no form with a CSRF token");
        }
        Map<String, String> withToken = new LinkedHashMap<>(fields);
        withToken.put("_csrf", token.group(1));
        return post(action, withToken);
    }

    /** Posts a form as it is, with whatever token it holds (or none). */
    public HttpResponse<String> post(String action, Map<String, String> fields) {
        String body = fields.entrySet().stream()
                .map(field -> encode(field.getKey()) + "=" + encode(field.getValue()))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(base.resolve(action)).header("Accept", BROWSER_ACCEPT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
