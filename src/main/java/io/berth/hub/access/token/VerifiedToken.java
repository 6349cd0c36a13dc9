package io.berth.hub.access.token;

import java.time.Instant;
import java.util.List;

/**
 * What a valid token says: who it was issued to and what it allows.
 *
 * @param subject   the user the token was issued to; empty for an anonymous client
 * @param access    the granted access entries
 * @param id        the token's {@code jti}
 * @param expiresAt when the token stops being valid (before the clock skew the verifier allows)
 */
public record VerifiedToken(String subject, List<Access> access, String id, Instant expiresAt) {

    public VerifiedToken {
        subject = subject == null ? "" : subject;
        access = List.copyOf(access);
    }

    public boolean anonymous() {
        return subject.isEmpty();
    }

    /**
     * Whether the token allows the action on the resource: some entry of that type and name lists the action or
     * {@code *}. A resource provider checks this for every resource a request touches.
     */
    public boolean permits(String type, String name, String action) {
        return access.stream().anyMatch(entry -> entry.permits(type, name, action));
    }
}
