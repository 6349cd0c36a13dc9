package io.berth.engine.docker;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The answer to a successful {@code POST /auth} (swagger {@code SystemAuthResponse}). */
public record SystemAuthResponse(
        @JsonProperty("Status") String status,
        @JsonProperty("IdentityToken") String identityToken) {
}
