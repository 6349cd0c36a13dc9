package io.berth.hub.access.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;

import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

import io.berth.support.TestClock;

/** Tokens the registry must refuse, and the clock skew it allows. */
class TokenVerifierTest {

    private static final TokenSettings SETTINGS = new TokenSettings("berth", "hub.example.com", null);
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final List<Access> PUSH = List.of(new Access("repository", "alice/app", List.of("pull", "push")));

    @TempDir
    Path dataDir;

    private final TestClock clock = new TestClock(NOW);
    private SigningKeys keys;
    private TokenVerifier verifier;

    @BeforeEach
    void loadKeys() throws Exception {
        keys = SigningKeys.load(dataDir, null);
        verifier = new TokenVerifier(keys, SETTINGS, clock);
    }

    @Test
    void acceptsAFreshToken() {
        assertThat(verifier.verify(issue()).access()).isEqualTo(PUSH);
    }

    @Test
    void refusesAnExpiredToken() {
        String token = issue();
        clock.advance(TokenSettings.DEFAULT_LIFETIME.plusSeconds(TokenVerifier.CLOCK_SKEW_SECONDS - 1));
        assertThat(verifier.verify(token).subject()).as("within the clock skew").isEqualTo("alice");

        clock.advance(Duration.ofSeconds(2));
        assertRefused(token).hasMessageContaining("Expired");
    }

    @Test
    void refusesATokenNotYetValid() {
        TestClock ahead = new TestClock(NOW.plus(Duration.ofMinutes(2)));
        String token = new TokenIssuer(keys, SETTINGS, ahead).issue("alice", PUSH).token();
        assertRefused(token).hasMessageContaining("before use time");

        clock.advance(Duration.ofSeconds(61));
        assertThat(verifier.verify(token).subject()).as("within the clock skew").isEqualTo("alice");
    }

    @Test
    void refusesATokenFromAnotherKey(@TempDir Path otherDataDir) throws Exception {
        SigningKeys other = SigningKeys.load(otherDataDir, null);
        assertRefused(new TokenIssuer(other, SETTINGS, clock).issue("alice", PUSH).token());

        // Another key under our key's ID: the signature, not the ID, decides.
        JWSSigner impostor = new ECDSASigner(new ECKeyGenerator(Curve.P_256).keyID(keys.keyId()).generate());
        assertRefused(sign(impostor, JWSAlgorithm.ES256, claims().build()));
    }

    @Test
    void refusesAnUnsignedToken() {
        String none = new PlainJWT(claims().build()).serialize();
        assertThat(none.split("\\.", -1)).hasSize(3);
        assertRefused(none);
        assertRefused(none + "c2lnbmF0dXJl");
    }

    @Test
    void refusesOtherAlgorithms() throws Exception {
        // The classic confusion: an HMAC keyed with the public key everybody can fetch.
        byte[] publicKeyAsSecret = keys.publicJwkSet().toString().getBytes();
        assertRefused(sign(new MACSigner(publicKeyAsSecret), JWSAlgorithm.HS256, claims().build()));
        assertRefused(sign(new RSASSASigner(new RSAKeyGenerator(2048).generate()), JWSAlgorithm.RS256, claims().build()));
        assertRefused(sign(new ECDSASigner(new ECKeyGenerator(Curve.P_384).generate()), JWSAlgorithm.ES384, claims().build()));
    }

    @Test
    void refusesATamperedPayload() {
        String[] parts = issue().split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]));
        String forged = payload.replace("alice/app", "alice/ap2").replace("\"sub\":\"alice\"", "\"sub\":\"admin\"");
        assertThat(forged).isNotEqualTo(payload);
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(forged.getBytes()) + "." + parts[2];

        assertRefused(tampered).hasMessageContaining("signature");
    }

    @Test
    void refusesATokenForAnotherAudienceOrFromAnotherIssuer() {
        assertRefused(new TokenIssuer(keys, new TokenSettings("berth", "other.example.com", null), clock).issue("alice", PUSH).token())
                .hasMessageContaining("aud");
        assertRefused(new TokenIssuer(keys, new TokenSettings("someone-else", "hub.example.com", null), clock).issue("alice", PUSH).token())
                .hasMessageContaining("iss");
    }

    @Test
    void refusesATokenMissingAClaimTheSpecLists() throws Exception {
        JWSSigner ours = new ECDSASigner(keys.signingKey());
        assertThat(verifier.verify(sign(ours, JWSAlgorithm.ES256, claims().build())).subject()).isEqualTo("alice");
        assertRefused(sign(ours, JWSAlgorithm.ES256, claims().jwtID(null).build())).hasMessageContaining("jti");
        assertRefused(sign(ours, JWSAlgorithm.ES256, claims().expirationTime(null).build())).hasMessageContaining("exp");
    }

    @Test
    void refusesAMalformedAccessClaimEvenWhenSigned() throws Exception {
        JWSSigner ours = new ECDSASigner(keys.signingKey());
        assertRefused(sign(ours, JWSAlgorithm.ES256, claims().claim("access", "repository:alice/app:push").build()));
        assertRefused(sign(ours, JWSAlgorithm.ES256, claims().claim("access", List.of("repository")).build()));
    }

    @Test
    void refusesWhatIsNotAToken() {
        for (String bad : new String[] {null, "", " ", "abc", "a.b.c", "Bearer " + issue()}) {
            assertRefused(bad);
        }
    }

    private String issue() {
        return new TokenIssuer(keys, SETTINGS, clock).issue("alice", PUSH).token();
    }

    private AbstractThrowableAssert<?, ? extends Throwable> assertRefused(String token) {
        return assertThatThrownBy(() -> verifier.verify(token)).as(String.valueOf(token)).isInstanceOf(InvalidTokenException.class);
    }

    private JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder()
                .issuer("berth")
                .subject("alice")
                .audience("hub.example.com")
                .issueTime(Date.from(NOW))
                .notBeforeTime(Date.from(NOW))
                .expirationTime(Date.from(NOW.plusSeconds(300)))
                .jwtID("handmade")
                .claim("access", PUSH.stream().map(Access::toClaim).toList());
    }

    private String sign(JWSSigner signer, JWSAlgorithm algorithm, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).type(JOSEObjectType.JWT).keyID(keys.keyId()).build(), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }
}
