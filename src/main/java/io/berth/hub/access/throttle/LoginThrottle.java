package io.berth.hub.access.throttle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import org.springframework.stereotype.Component;

/**
 * Slows down password guessing by remembering failed logins.
 *
 * <p>Failures are counted per account name (lower-cased, so {@code Alice} and {@code alice} share a counter) and
 * per client address, independently:
 * <ul>
 * <li>once an account has failed {@link ThrottleSettings#maxFailuresPerAccount()} times, further attempts on it,
 * from any address, are blocked for {@link ThrottleSettings#baseDelay()} after the last failure; each failure
 * beyond that doubles the block, up to {@link ThrottleSettings#maxDelay()};</li>
 * <li>the same holds for a client address after {@link ThrottleSettings#maxFailuresPerAddress()} failures, on
 * any accounts, so an address trying one password on many accounts is stopped too;</li>
 * <li>{@link #blocked} answers the longer of the two remaining waits;</li>
 * <li>a counter is forgotten once {@link ThrottleSettings#window()} has passed since its last failure and no
 * block of it is running;</li>
 * <li>a correct login clears its account's counter, never its address's: an address spraying guesses must not
 * reset itself with one account it owns;</li>
 * <li>an anonymous failure (no user name) counts against its address only, and a failure without an address
 * against its account only.</li>
 * </ul>
 *
 * <p>The counters live in memory, so each replica counts on its own: behind a load balancer spreading requests
 * over N replicas, a guesser gets up to N times the attempts before every replica blocks it. They are bounded to
 * about {@value #MAX_TRACKED_KEYS} accounts and addresses together; past that the counters whose last failure is
 * the oldest are dropped, so an attacker spraying addresses costs a bounded amount of memory (and can at most make
 * the throttle forget counters that have been quiet the longest).
 *
 * <p>Thread-safe: each counter is updated atomically on its own; only an eviction, once the bound is reached,
 * takes a lock.
 */
@Component
public class LoginThrottle {

    static final int MAX_TRACKED_KEYS = 100_000;

    // An eviction frees a tenth of the room at once, so the sort it costs is paid once per many new keys.
    private static final int EVICT_DOWN_TO = MAX_TRACKED_KEYS - MAX_TRACKED_KEYS / 10;

    private final Clock clock;
    private final ThrottleSettings settings;
    private final Map<Key, Failures> counters = new ConcurrentHashMap<>();
    private final ReentrantLock eviction = new ReentrantLock();

    public LoginThrottle(Clock clock, ThrottleSettings settings) {
        this.clock = clock;
        this.settings = settings;
    }

    /**
     * How long the caller must wait before trying this account from this address again; empty when it may try now.
     *
     * @param username      the account name tried, or null for an anonymous attempt
     * @param clientAddress the client's address, or null when unknown
     */
    public Optional<Duration> blocked(String username, String clientAddress) {
        if (!settings.enabled()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Duration account = remaining(Key.account(username), now);
        Duration address = remaining(Key.address(clientAddress), now);
        Duration longest = account.compareTo(address) >= 0 ? account : address;
        return longest.isZero() ? Optional.empty() : Optional.of(longest);
    }

    /** Counts a wrong password, an unknown user or a bad token. */
    public void failed(String username, String clientAddress) {
        if (!settings.enabled()) {
            return;
        }
        Instant now = clock.instant();
        count(Key.account(username), now);
        count(Key.address(clientAddress), now);
        if (counters.size() > MAX_TRACKED_KEYS) {
            evictOldest(now);
        }
    }

    /** Clears the account's counter after a correct login; the address keeps its count (see the class comment). */
    public void succeeded(String username, String clientAddress) {
        Key account = Key.account(username);
        if (account != null) {
            counters.remove(account);
        }
    }

    /** How many accounts and addresses are remembered now. */
    int trackedKeys() {
        return counters.size();
    }

    private Duration remaining(Key key, Instant now) {
        if (key == null) {
            return Duration.ZERO;
        }
        Failures failures = counters.get(key);
        if (failures == null) {
            return Duration.ZERO;
        }
        if (failures.forgotten(now, settings.window())) {
            counters.remove(key, failures);
            return Duration.ZERO;
        }
        return now.isBefore(failures.blockedUntil()) ? Duration.between(now, failures.blockedUntil()) : Duration.ZERO;
    }

    private void count(Key key, Instant now) {
        if (key == null) {
            return;
        }
        int max = key.kind() == Kind.ACCOUNT ? settings.maxFailuresPerAccount() : settings.maxFailuresPerAddress();
        counters.compute(key, (k, previous) -> {
            int count = previous == null || previous.forgotten(now, settings.window()) ? 1 : previous.count() + 1;
            Instant blockedUntil = count < max ? now : now.plus(delay(count - max));
            return new Failures(count, now, blockedUntil);
        });
    }

    /** The block after {@code beyond} failures past the limit: the base delay doubled that many times, capped. */
    private Duration delay(int beyond) {
        Duration delay = settings.baseDelay();
        for (int i = 0; i < beyond && delay.compareTo(settings.maxDelay()) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(settings.maxDelay()) < 0 ? delay : settings.maxDelay();
    }

    private void evictOldest(Instant now) {
        eviction.lock();
        try {
            // Another thread may have evicted while this one waited.
            if (counters.size() <= MAX_TRACKED_KEYS) {
                return;
            }
            counters.entrySet().removeIf(entry -> entry.getValue().forgotten(now, settings.window()));
            int excess = counters.size() - EVICT_DOWN_TO;
            if (excess <= 0) {
                return;
            }
            List<Map.Entry<Key, Failures>> oldestFirst = new ArrayList<>(counters.entrySet());
            oldestFirst.sort(Comparator.comparing(entry -> entry.getValue().last()));
            for (Map.Entry<Key, Failures> entry : oldestFirst.subList(0, Math.min(excess, oldestFirst.size()))) {
                // Only if it has not failed again meanwhile: a fresh failure makes it one of the newest.
                counters.remove(entry.getKey(), entry.getValue());
            }
        } finally {
            eviction.unlock();
        }
    }

    private enum Kind { ACCOUNT, ADDRESS }

    private record Key(Kind kind, String value) {

        static Key account(String username) {
            return username == null || username.isBlank() ? null : new Key(Kind.ACCOUNT, username.toLowerCase(Locale.ROOT));
        }

        static Key address(String clientAddress) {
            return clientAddress == null || clientAddress.isBlank() ? null : new Key(Kind.ADDRESS, clientAddress);
        }
    }

    /** One account's or address's recent failures: how many, the last one, and when the block they earned ends. */
    private record Failures(int count, Instant last, Instant blockedUntil) {

        boolean forgotten(Instant now, Duration window) {
            return !now.isBefore(last.plus(window)) && !now.isBefore(blockedUntil);
        }
    }
}
