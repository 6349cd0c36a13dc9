package io.berth.hub.access.throttle;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How hard {@link LoginThrottle} slows down password guessing ({@code berth.hub.login-throttle.*}). A setting left
 * out, or set to zero, takes its default.
 *
 * @param enabled                         false turns the throttle off: nothing is counted and nothing is blocked
 * @param maxFailuresPerAccountAndAddress failures on one account from one client address tolerated before that
 *                                        address is held off that account
 * @param maxFailuresPerAddress           failures from one client address, on any accounts, tolerated before the
 *                                        address is held off every account; higher than the others, since many
 *                                        people may share one address behind a NAT or proxy
 * @param maxFailuresPerAccount           failures on one account from all addresses together tolerated before
 *                                        addresses the account has not signed in from lately are held off it too
 * @param window                          how long a counter is remembered after its last failure
 * @param baseDelay                       the first block; each further failure doubles it
 * @param maxDelay                        the longest block
 * @param knownAddressLifetime            how long a correct sign-in makes its address one the account signs in
 *                                        from, which the account's own counter does not hold off
 */
@ConfigurationProperties("berth.hub.login-throttle")
public record ThrottleSettings(
        @DefaultValue("true") boolean enabled,
        int maxFailuresPerAccountAndAddress,
        int maxFailuresPerAddress,
        int maxFailuresPerAccount,
        Duration window,
        Duration baseDelay,
        Duration maxDelay,
        Duration knownAddressLifetime) {

    public static final int DEFAULT_MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS = 5;
    public static final int DEFAULT_MAX_FAILURES_PER_ADDRESS = 20;
    public static final int DEFAULT_MAX_FAILURES_PER_ACCOUNT = 10;
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(15);
    public static final Duration DEFAULT_BASE_DELAY = Duration.ofSeconds(30);
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofMinutes(15);
    public static final Duration DEFAULT_KNOWN_ADDRESS_LIFETIME = Duration.ofDays(30);

    /** Every default, the throttle on. */
    public static final ThrottleSettings DEFAULTS = new ThrottleSettings(true, 0, 0, 0, null, null, null, null);

    public ThrottleSettings {
        maxFailuresPerAccountAndAddress = orDefault("max-failures-per-account-and-address",
                maxFailuresPerAccountAndAddress, DEFAULT_MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS);
        maxFailuresPerAddress = orDefault("max-failures-per-address", maxFailuresPerAddress, DEFAULT_MAX_FAILURES_PER_ADDRESS);
        maxFailuresPerAccount = orDefault("max-failures-per-account", maxFailuresPerAccount, DEFAULT_MAX_FAILURES_PER_ACCOUNT);
        window = orDefault("window", window, DEFAULT_WINDOW);
        baseDelay = orDefault("base-delay", baseDelay, DEFAULT_BASE_DELAY);
        maxDelay = orDefault("max-delay", maxDelay, DEFAULT_MAX_DELAY);
        knownAddressLifetime = orDefault("known-address-lifetime", knownAddressLifetime, DEFAULT_KNOWN_ADDRESS_LIFETIME);
    }

    private static int orDefault(String name, int value, int fallback) {
        if (value < 0) {
            // Silently taking the default would hide a typo in a security setting.
            throw new IllegalArgumentException("berth.hub.login-throttle." + name + " cannot be negative: " + value);
        }
        return value == 0 ? fallback : value;
    }

    private static Duration orDefault(String name, Duration value, Duration fallback) {
        if (value != null && value.isNegative()) {
            throw new IllegalArgumentException("berth.hub.login-throttle." + name + " cannot be negative: " + value);
        }
        return value == null || value.isZero() ? fallback : value;
    }
}
