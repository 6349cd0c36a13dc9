package io.berth.hub.access.matrix;

import java.util.Base64;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The claims of a registry token, read without checking the signature: what the token endpoint granted is what the
 * registry will allow, and the test only compares grants.
 */
public final class TokenClaims {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private TokenClaims() {
    }

    /** The {@code access} claim: {@code [{"type", "name", "actions": [...]}]}. */
    public static JsonNode access(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) {
            throw new AssertionError("not a JWS compact serialisation: " + jwt);
        }
        JsonNode payload = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        JsonNode access = payload.get("access");
        if (access == null || !access.isArray()) {
            throw new AssertionError("token without an access array: " + payload);
        }
        return access;
    }
}
