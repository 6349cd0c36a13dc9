package io.berth.hub.access.token;

import java.time.Duration;

/**
 * What the issuer writes into tokens and the verifier expects of them; one record for both so they cannot disagree.
 *
 * @param issuer   the {@code iss} claim, naming the token server
 * @param service  the service name: the {@code aud} claim of tokens and the {@code service} of challenges
 * @param lifetime how long an issued token is valid
 */
public record TokenSettings(String issuer, String service, Duration lifetime) {

    /** Long enough for a push of a few layers, short enough that a revoked permission soon stops working. */
    public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(5);

    // The spec: "a token should never be returned with less than 60 seconds to live", for older clients.
    private static final Duration MIN_LIFETIME = Duration.ofSeconds(60);

    public TokenSettings {
        if (issuer == null || issuer.isBlank() || service == null || service.isBlank()) {
            throw new IllegalArgumentException("tokens need an issuer and a service name");
        }
        if (lifetime == null) {
            lifetime = DEFAULT_LIFETIME;
        }
        if (lifetime.compareTo(MIN_LIFETIME) < 0) {
            throw new IllegalArgumentException("a token lifetime under " + MIN_LIFETIME.toSeconds() + "s breaks older clients: " + lifetime);
        }
    }
}
