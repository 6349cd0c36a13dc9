package io.berth.hub.access.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.berth.support.BearerChallenge;

/** Comparing answers: is a refusal indistinguishable from the answer about a repository that does not exist? */
public final class Responses {

    /**
     * Upload ids are random: two answers that start a new upload (a mount that found nothing) differ in them and in
     * nothing else that matters. A refusal that held an id the twin lacks still differs, in where the id stood.
     */
    private static final Pattern UPLOAD_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /**
     * Headers that differ between any two answers whatever they are about: the time, and the hop-by-hop headers of
     * the connection (Tomcat closes a connection after 100 requests, with {@code Connection: close} on the last answer).
     */
    private static final List<String> VOLATILE_HEADERS = List.of("date", "connection", "keep-alive");

    /** A CSRF cookie is random per answer; its presence is compared, its value is not. */
    private static final Pattern CSRF_COOKIE = Pattern.compile("XSRF-TOKEN=[^;]*");

    private Responses() {
    }

    /**
     * Fails unless {@code actual} and {@code twin} (the same request about something that does not exist) have the
     * same status, headers (but the volatile ones) and body, once what the client itself said differently in the two
     * requests ({@code twinToActual}, e.g. missing repository name → name under test) is swapped in the twin's
     * answer. The repository names in the matrix all have the same length, so Content-Length is compared as it is.
     */
    public static void assertIndistinguishable(HttpResponse<byte[]> actual, HttpResponse<byte[]> twin,
                                               Map<String, String> twinToActual) {
        String description = "answer about the repository:\n  " + describe(actual)
                + "\nanswer about the missing repository:\n  " + describe(twin);
        assertThat(actual.statusCode()).as("status; " + description).isEqualTo(twin.statusCode());
        assertThat(comparableHeaders(actual, Map.of())).as("headers; " + description)
                .isEqualTo(comparableHeaders(twin, twinToActual));
        assertThat(normalise(body(actual), Map.of())).as("body; " + description)
                .isEqualTo(normalise(body(twin), twinToActual));
    }

    /** Fails unless the answer is 401 with a well-formed Bearer challenge naming Berth's token endpoint. */
    public static BearerChallenge assertBearerChallenge(HttpResponse<byte[]> response) {
        assertThat(response.statusCode()).as("status of %s", describe(response)).isEqualTo(401);
        Optional<BearerChallenge> challenge = BearerChallenge.of(response);
        assertThat(challenge).as("Bearer challenge in %s", describe(response)).isPresent();
        assertThat(challenge.get().realm()).endsWith("/token");
        assertThat(challenge.get().service()).isEqualTo("berth");
        return challenge.get();
    }

    /** Status, headers and (the start of) the body, for failure messages. */
    public static String describe(HttpResponse<byte[]> response) {
        String body = body(response);
        return response.request().method() + " " + response.request().uri() + " → " + response.statusCode() + " "
                + headersText(response).replace("\n", "; ") + " body: "
                + (body.length() > 600 ? body.substring(0, 600) + "…" : body);
    }

    public static String headersText(HttpResponse<byte[]> response) {
        return response.headers().map().entrySet().stream()
                .map(header -> header.getKey() + ": " + String.join(", ", header.getValue()))
                .collect(Collectors.joining("\n"));
    }

    public static String body(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private static Map<String, List<String>> comparableHeaders(HttpResponse<byte[]> response,
                                                               Map<String, String> replacements) {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        response.headers().map().forEach((name, values) -> {
            if (!VOLATILE_HEADERS.contains(name.toLowerCase())) {
                headers.put(name.toLowerCase(), values.stream().map(value -> normalise(value, replacements)).toList());
            }
        });
        return headers;
    }

    private static String normalise(String text, Map<String, String> replacements) {
        String result = text;
        for (Map.Entry<String, String> replacement : replacements.entrySet()) {
            result = result.replace(replacement.getKey(), replacement.getValue());
        }
        result = CSRF_COOKIE.matcher(result).replaceAll("XSRF-TOKEN=<random>");
        return UPLOAD_ID.matcher(result).replaceAll("<upload-id>");
    }
}
