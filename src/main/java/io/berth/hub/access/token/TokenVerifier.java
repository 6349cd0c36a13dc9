package io.berth.hub.access.token;

import java.text.ParseException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

/**
 * Checks a bearer token as the spec's "Verifying the token" lists: signed by our key with ES256 (and nothing else:
 * not {@code none}, not an HMAC keyed with our public key), issued by us, for our service, and within its
 * {@code nbf}..{@code exp} window give or take a minute of clock skew.
 */
public final class TokenVerifier {

    /** Clocks of replicas and clients drift; a minute is what the reference registry allows too. */
    static final int CLOCK_SKEW_SECONDS = 60;

    private static final Set<String> REQUIRED_CLAIMS = Set.of("sub", "exp", "nbf", "iat", "jti");

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    public TokenVerifier(SigningKeys keys, TokenSettings settings, Clock clock) {
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256, new ImmutableJWKSet<>(keys.publicJwkSet())));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                Set.of(settings.service()),
                new JWTClaimsSet.Builder().issuer(settings.issuer()).build(),
                REQUIRED_CLAIMS,
                null) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        };
        claims.setMaxClockSkew(CLOCK_SKEW_SECONDS);
        processor.setJWTClaimsSetVerifier(claims);
    }

    /**
     * Verifies a token (the part after {@code Bearer }).
     *
     * @throws InvalidTokenException if the token is not one this registry accepts
     */
    public VerifiedToken verify(String token) {
        if (token == null || token.isBlank()) {
            throw new InvalidTokenException("no token", null);
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException e) {
            throw new InvalidTokenException("malformed token: " + e.getMessage(), e);
        } catch (BadJOSEException | JOSEException e) {
            throw new InvalidTokenException("invalid token: " + e.getMessage(), e);
        }
        try {
            return new VerifiedToken(claims.getStringClaim("sub"), access(claims), claims.getJWTID(),
                    claims.getExpirationTime().toInstant());
        } catch (ParseException | IllegalArgumentException e) {
            throw new InvalidTokenException("invalid token claims: " + e.getMessage(), e);
        }
    }

    private static List<Access> access(JWTClaimsSet claims) {
        Object claim = claims.getClaim("access");
        if (claim == null) {
            return List.of();
        }
        if (!(claim instanceof List<?> entries)) {
            throw new IllegalArgumentException("the access claim is not a list");
        }
        List<Access> access = new ArrayList<>(entries.size());
        for (Object entry : entries) {
            access.add(Access.fromClaim(entry));
        }
        return access;
    }
}
