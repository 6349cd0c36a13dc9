package io.berth.hub.access.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.SignedJWT;

import tools.jackson.databind.json.JsonMapper;

import io.berth.support.TestClock;

/** Issued tokens: the spec's header, claims and response fields. */
class TokenIssuerTest {

    private static final TokenSettings SETTINGS = new TokenSettings("berth", "hub.example.com", null);
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00.750Z");

    @TempDir
    Path dataDir;

    private SigningKeys keys;
    private final TestClock clock = new TestClock(NOW);

    @BeforeEach
    void loadKeys() throws Exception {
        keys = SigningKeys.load(dataDir, null);
    }

    @Test
    void issuedTokenVerifiesAndCarriesTheAccess() {
        List<Access> access = List.of(new Access("repository", "alice/app", List.of("pull", "push")),
                new Access("repository", "bob/secret", List.of()));
        TokenResponse response = new TokenIssuer(keys, SETTINGS, clock).issue("alice", access);

        VerifiedToken verified = new TokenVerifier(keys, SETTINGS, clock).verify(response.token());

        assertThat(verified.subject()).isEqualTo("alice");
        assertThat(verified.anonymous()).isFalse();
        assertThat(verified.access()).isEqualTo(access);
        assertThat(verified.expiresAt()).isEqualTo(Instant.parse("2025-06-01T12:05:00Z"));
        assertThat(verified.permits("repository", "alice/app", "push")).isTrue();
        assertThat(verified.permits("repository", "bob/secret", "pull")).isFalse();
        assertThat(verified.permits("repository", "carol/app", "pull")).isFalse();
    }

    @Test
    void writesTheSpecsHeaderAndClaims() throws Exception {
        List<Access> access = List.of(new Access("repository", "samalba/my-app", List.of("pull", "push")));
        String token = new TokenIssuer(keys, SETTINGS, clock).issue("jlhawn", access).token();

        SignedJWT jwt = SignedJWT.parse(token);
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(jwt.getHeader().getType()).isEqualTo(JOSEObjectType.JWT);
        assertThat(jwt.getHeader().getKeyID()).isEqualTo(keys.keyId());
        assertThat(jwt.verify(new ECDSAVerifier((ECKey) keys.publicJwkSet().getKeys().get(0)))).isTrue();

        var claims = JsonMapper.builder().build().readTree(jwt.getPayload().toString());
        assertThat(claims.get("iss").asString()).isEqualTo("berth");
        assertThat(claims.get("sub").asString()).isEqualTo("jlhawn");
        assertThat(claims.get("aud").isString()).as("one audience, written as a string as older registries read it").isTrue();
        assertThat(claims.get("aud").asString()).isEqualTo("hub.example.com");
        long now = Instant.parse("2025-06-01T12:00:00Z").getEpochSecond();
        assertThat(claims.get("iat").asLong()).isEqualTo(now);
        assertThat(claims.get("nbf").asLong()).isEqualTo(now);
        assertThat(claims.get("exp").asLong()).isEqualTo(now + 300);
        assertThat(claims.get("jti").asString()).hasSizeGreaterThanOrEqualTo(20);
        assertThat(claims.get("access").toString())
                .isEqualTo("[{\"type\":\"repository\",\"name\":\"samalba/my-app\",\"actions\":[\"pull\",\"push\"]}]");
    }

    @Test
    void anAnonymousTokenHasAnEmptySubject() throws Exception {
        TokenIssuer issuer = new TokenIssuer(keys, SETTINGS, clock);
        for (String anonymous : new String[] {null, ""}) {
            String token = issuer.issue(anonymous, List.of()).token();
            assertThat(SignedJWT.parse(token).getPayload().toString()).contains("\"sub\":\"\"").contains("\"access\":[]");
            VerifiedToken verified = new TokenVerifier(keys, SETTINGS, clock).verify(token);
            assertThat(verified.subject()).isEmpty();
            assertThat(verified.anonymous()).isTrue();
            assertThat(verified.access()).isEmpty();
        }
    }

    @Test
    void everyTokenHasItsOwnId() {
        TokenIssuer issuer = new TokenIssuer(keys, SETTINGS, clock);
        TokenVerifier verifier = new TokenVerifier(keys, SETTINGS, clock);
        String first = verifier.verify(issuer.issue("alice", List.of()).token()).id();
        String second = verifier.verify(issuer.issue("alice", List.of()).token()).id();
        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void answersInTheSpecsResponseShape() {
        TokenResponse response = new TokenIssuer(keys, SETTINGS, clock).issue("alice", List.of());

        assertThat(response.accessToken()).isEqualTo(response.token());
        assertThat(response.expiresIn()).isEqualTo(300);
        assertThat(response.issuedAt()).as("RFC 3339, UTC, the second of iat").isEqualTo("2025-06-01T12:00:00Z");
        assertThat(response.refreshToken()).isNull();
        assertThat(JsonMapper.builder().build().writeValueAsString(response)).isEqualTo(
                "{\"token\":\"" + response.token() + "\",\"access_token\":\"" + response.token()
                        + "\",\"expires_in\":300,\"issued_at\":\"2025-06-01T12:00:00Z\"}");
    }

    @Test
    void theLifetimeIsASetting() {
        TokenSettings hour = new TokenSettings("berth", "hub.example.com", Duration.ofHours(1));
        TokenResponse response = new TokenIssuer(keys, hour, clock).issue("alice", List.of());

        assertThat(response.expiresIn()).isEqualTo(3600);
        assertThat(new TokenVerifier(keys, hour, clock).verify(response.token()).expiresAt())
                .isEqualTo(Instant.parse("2025-06-01T13:00:00Z"));
        assertThat(SETTINGS.lifetime()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void refusesSettingsTheSpecRulesOut() {
        assertThatThrownBy(() -> new TokenSettings("berth", "hub", Duration.ofSeconds(59)))
                .as("the spec: never less than 60 seconds to live").isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenSettings("", "hub", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenSettings("berth", null, null)).isInstanceOf(IllegalArgumentException.class);
    }
}
