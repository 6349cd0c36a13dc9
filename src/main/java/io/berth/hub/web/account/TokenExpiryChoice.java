package io.berth.hub.web.account;

import java.time.Duration;
import java.time.Instant;

import io.berth.hub.HubException;

/** How long a token made on the token page lives: a few fixed choices rather than a date to type. */
enum TokenExpiryChoice {

    NEVER("never", "Never", null),
    DAYS_30("30d", "In 30 days", Duration.ofDays(30)),
    DAYS_90("90d", "In 90 days", Duration.ofDays(90)),
    YEAR("365d", "In a year", Duration.ofDays(365));

    private final String value;
    private final String label;
    private final Duration lifetime;

    TokenExpiryChoice(String value, String label, Duration lifetime) {
        this.value = value;
        this.label = label;
        this.lifetime = lifetime;
    }

    public String value() {
        return value;
    }

    public String label() {
        return label;
    }

    /** When a token made now expires, or null for never. */
    Instant expiresAt(Instant now) {
        return lifetime == null ? null : now.plus(lifetime);
    }

    static TokenExpiryChoice of(String value) {
        if (value == null || value.isBlank()) {
            return NEVER;
        }
        for (TokenExpiryChoice choice : values()) {
            if (choice.value.equals(value)) {
                return choice;
            }
        }
        throw HubException.invalid("a token expires never, in 30 or 90 days or in a year, not " + value);
    }
}
