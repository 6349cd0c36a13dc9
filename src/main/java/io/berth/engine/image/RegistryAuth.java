package io.berth.engine.image;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.berth.common.Digest;
import io.berth.common.error.BerthException;
import io.berth.common.error.ErrorKind;
import io.berth.engine.docker.AuthConfig;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Credentials a client passes along with a pull or push in {@code X-Registry-Auth}: base64url of an
 * {@link AuthConfig} ({@code {"username","password","serveraddress"}} or {@code {"identitytoken"}}); {@code e30=}
 * ({@code {}}) is anonymous.
 */
public record RegistryAuth(String username, String password, String identityToken) {

    public static final RegistryAuth ANONYMOUS = new RegistryAuth(null, null, null);

    /** Decodes the header; null or blank means anonymous. Invalid content is refused rather than ignored. */
    public static RegistryAuth fromHeader(String header, JsonMapper json) {
        if (header == null || header.isBlank()) {
            return ANONYMOUS;
        }
        AuthConfig config;
        try {
            // Clients send base64url, some older ones padded standard base64: accept both.
            String normalised = header.trim().replace('+', '-').replace('/', '_');
            config = json.readValue(Base64.getUrlDecoder().decode(stripPadding(normalised)), AuthConfig.class);
        } catch (IllegalArgumentException | JacksonException e) {
            throw new BerthException(ErrorKind.INVALID, "invalid X-Registry-Auth header: " + e.getMessage());
        }
        return of(config);
    }

    /** The credentials an {@link AuthConfig} holds: an identity token, a username and password, or none. */
    public static RegistryAuth of(AuthConfig config) {
        if (config == null) {
            return ANONYMOUS;
        }
        String username = blankToNull(config.username());
        String identityToken = blankToNull(config.identityToken());
        if (identityToken != null) {
            return new RegistryAuth(username, null, identityToken);
        }
        String password = blankToNull(config.password());
        return username == null ? ANONYMOUS : new RegistryAuth(username, password == null ? "" : password, null);
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
        return Digest.sha256(secret.getBytes(StandardCharsets.UTF_8)).hex();
    }

    private static String stripPadding(String value) {
        int end = value.length();
        while (end > 0 && value.charAt(end - 1) == '=') {
            end--;
        }
        return value.substring(0, end);
    }

    private static String blankToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    @Override
    public String toString() {
        return anonymous() ? "anonymous" : "RegistryAuth[" + (username == null ? "identity token" : username) + "]";
    }
}
