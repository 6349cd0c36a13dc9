package io.berth.engine.docker;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Registry credentials as clients send them (swagger {@code AuthConfig}): the body of {@code POST /auth}, and base64url
 * encoded in the {@code X-Registry-Auth} header of a pull or push. {@code identitytoken} replaces username and
 * password once a registry handed one out.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AuthConfig(
        String username,
        String password,
        String email,
        @JsonProperty("serveraddress") String serverAddress,
        @JsonProperty("identitytoken") String identityToken) {
}
