package io.berth.hub.access.token;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The token endpoint's JSON answer, shaped as the spec's "Token Response Fields". The token appears twice, as
 * {@code token} for Docker clients and as {@code access_token} for OAuth 2.0 ones; the spec allows both and asks
 * that they be equal.
 *
 * @param expiresIn    seconds from {@code issued_at} that the token is valid
 * @param issuedAt     when the token was issued, RFC 3339 in UTC
 * @param refreshToken a token to get further tokens with, or null (not issued yet: no OAuth grants so far)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TokenResponse(
        @JsonProperty("token") String token,
        @JsonProperty("access_token") String accessToken,
        @JsonProperty("expires_in") long expiresIn,
        @JsonProperty("issued_at") String issuedAt,
        @JsonProperty("refresh_token") String refreshToken) {
}
