package io.berth.hub.access.token;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.List;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Issues the bearer tokens of the Docker token protocol: short-lived JWTs signed ES256 with the {@link SigningKeys},
 * carrying the claims the spec lists ({@code iss sub aud exp nbf iat jti}) and the granted {@code access}.
 */
public final class TokenIssuer {

    private static final int JWT_ID_BYTES = 18;

    private final JWSSigner signer;
    private final String keyId;
    private final TokenSettings settings;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public TokenIssuer(SigningKeys keys, TokenSettings settings, Clock clock) {
        try {
            this.signer = new ECDSASigner(keys.signingKey());
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign with token key " + keys.keyId(), e);
        }
        this.keyId = keys.keyId();
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Issues a token.
     *
     * @param subject the authenticated user, or null (or empty) for an anonymous client, whose {@code sub} the spec
     *                wants empty
     * @param access  the granted access, usually from {@link Grant#intersect}
     */
    public TokenResponse issue(String subject, List<Access> access) {
        // JWT times are whole seconds; issued_at says the same second as iat so that a client's expiry matches ours.
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant expires = now.plus(settings.lifetime());
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(settings.issuer())
                .subject(subject == null ? "" : subject)
                .audience(settings.service())
                .expirationTime(Date.from(expires))
                .notBeforeTime(Date.from(now))
                .issueTime(Date.from(now))
                .jwtID(newJwtId())
                .claim("access", access.stream().map(Access::toClaim).toList())
                .build();
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT).keyID(keyId).build();
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a token with key " + keyId, e);
        }
        String token = jwt.serialize();
        return new TokenResponse(token, token, settings.lifetime().toSeconds(), DateTimeFormatter.ISO_INSTANT.format(now), null);
    }

    private String newJwtId() {
        byte[] bytes = new byte[JWT_ID_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
