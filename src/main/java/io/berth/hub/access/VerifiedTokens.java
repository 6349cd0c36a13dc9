package io.berth.hub.access;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.berth.hub.access.token.InvalidTokenException;
import io.berth.hub.access.token.TokenVerifier;
import io.berth.hub.access.token.VerifiedToken;

/**
 * Verifies registry tokens, remembering the ones already verified: a pull sends the same token with every manifest
 * and blob request, and checking an ES256 signature each time would cost more than serving a manifest. A remembered
 * token is still refused once it expires.
 */
final class VerifiedTokens {

    private static final int MAX_ENTRIES = 10_000;
    // What the verifier allows for clock drift; a remembered token must not live longer than a fresh check allows.
    private static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

    private final TokenVerifier verifier;
    private final Clock clock;
    private final Map<String, VerifiedToken> verified = new ConcurrentHashMap<>();

    VerifiedTokens(TokenVerifier verifier, Clock clock) {
        this.verifier = verifier;
        this.clock = clock;
    }

    /** @throws InvalidTokenException if the token is not one this registry accepts */
    VerifiedToken verify(String token) {
        VerifiedToken known = verified.get(token);
        if (known != null) {
            if (known.expiresAt().plus(CLOCK_SKEW).isAfter(clock.instant())) {
                return known;
            }
            verified.remove(token);
        }
        VerifiedToken fresh = verifier.verify(token);
        if (verified.size() >= MAX_ENTRIES) {
            // Tokens live minutes; starting over is cheaper than tracking which is oldest, and bounds the memory.
            verified.clear();
        }
        verified.put(token, fresh);
        return fresh;
    }
}
