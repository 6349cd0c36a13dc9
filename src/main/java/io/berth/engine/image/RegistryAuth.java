package io.berth.engine.image;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Credentials a client passes along with a pull in {@code X-Registry-Auth}: base64url of
 * {@code {"username","password","serveraddress"}} or {@code {"identitytoken"}}; {@code e30=} ({@code {}}) is anonymous.
 */
public record RegistryAuth(String username, String password, String identityToken) {

    public static final RegistryAuth ANONYMOUS = new RegistryAuth(null, null, null);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Decodes the header; null or blank means anonymous. Invalid content is refused rather than ignored. */
    public static RegistryAuth fromHeader(String header) {
        if (header == null || header.isBlank()) {
            return ANONYMOUS;
        }
        try {
            // Clients send base64url, some older ones padded standard base64: accept both.
            String normalised = header.trim().replace('+', '-').replace('/', '_');
            JsonNode json = JSON.readTree(new String(Base64.getUrlDecoder().decode(stripPadding(normalised)),
                    StandardCharsets.UTF_8));
            String username = text(json, "username");
            String password = text(json, "password");
            String identityToken = text(json, "identitytoken");
            if (identityToken != null) {
                return new RegistryAuth(username, null, identityToken);
            }
            return username == null ? ANONYMOUS : new RegistryAuth(username, password == null ? "" : password, null);
        } catch (IllegalArgumentException | JacksonException e) {
            throw new InvalidReferenceException("invalid X-Registry-Auth header: " + e.getMessage());
        }
    }

    public boolean anonymous() {
        return username == null && identityToken == null;
    }

    /** Distinguishes token-cache entries: a token fetched with one account must never serve another. */
    String cacheKey() {
        if (identityToken != null) {
            return "token:" + sha256(identityToken);
        }
        return username == null ? "" : "user:" + username + ":" + sha256(password);
    }

    private static String sha256(String secret) {
        return io.berth.common.Digest.sha256(secret.getBytes(StandardCharsets.UTF_8)).hex();
    }

    private static String stripPadding(String value) {
        int end = value.length();
        while (end > 0 && value.charAt(end - 1) == '=') {
            end--;
        }
        return value.substring(0, end);
    }

    private static String text(JsonNode json, String field) {
        JsonNode node = json.get(field);
        return node == null || node.isNull() || node.asString().isEmpty() ? null : node.asString();
    }

    @Override
    public String toString() {
        return anonymous() ? "anonymous" : "RegistryAuth[" + (username == null ? "identity token" : username) + "]";
    }
}
