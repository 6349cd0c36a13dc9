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
import java.util.function.Function;

import org.springframework.stereotype.Component;

/**
 * Slows down password guessing by remembering failed logins, without handing a stranger the power to lock an owner
 * out: whoever fails is held off, not the account.
 *
 * <p>Failures are counted three ways at once. Account names are lower-cased, so {@code Alice} and {@code alice}
 * share their counters.
 * <ul>
 * <li><b>per account and address</b>: after {@link ThrottleSettings#maxFailuresPerAccountAndAddress()} failures on
 * an account from one address, that address is held off that account. This is what stops a guesser, and what it
 * blocks is the guesser alone: the owner elsewhere signs in as ever.</li>
 * <li><b>per address</b>: after {@link ThrottleSettings#maxFailuresPerAddress()} failures from one address on any
 * accounts, the address is held off every account, so that one password tried on many accounts is stopped too.</li>
 * <li><b>per account</b>: after {@link ThrottleSettings#maxFailuresPerAccount()} failures on an account from all
 * addresses together (guessing spread over many addresses), the account is held off for every address except those
 * it signed in from correctly within {@link ThrottleSettings#knownAddressLifetime()}. A botnet guessing one account
 * is slowed to a trickle, while the owner's usual places are not.</li>
 * </ul>
 * A block lasts {@link ThrottleSettings#baseDelay()} after the failure that earned it, doubled by each failure beyond
 * the limit up to {@link ThrottleSettings#maxDelay()}; {@link #blocked} answers the longest wait that applies. A
 * counter is forgotten once {@link ThrottleSettings#window()} has passed since its last failure and no block of it is
 * running. A correct login clears its account-and-address counter and makes the address known to the account; it
 * never clears the address's counter (an address spraying guesses must not reset itself with one account it owns)
 * nor the account's (an owner signing in every minute must not reset the budget of those guessing).
 *
 * <p>Only passwords are throttled here: personal access tokens and refresh tokens are 256 random bits, which no one
 * guesses, so a valid one is admitted whatever the counters say (see {@code SignIn}); a wrong one counts against its
 * address only.
 *
 * <p>The counters live in memory, so each replica counts on its own: behind a load balancer spreading requests
 * over N replicas, a guesser gets up to N times the attempts before every replica blocks it. Counters and known
 * addresses are each bounded to about {@value #MAX_TRACKED_KEYS}; past that the entries quiet for the longest are
 * dropped, so an attacker spraying addresses costs a bounded amount of memory.
 *
 * <p>Thread-safe: each counter is updated atomically on its own; only an eviction, once a bound is reached, takes a
 * lock.
 */
@Component
public class LoginThrottle {

    static final int MAX_TRACKED_KEYS = 100_000;

    // An eviction frees a tenth of the room at once, so the sort it costs is paid once per many new keys.
    private static final int EVICT_DOWN_TO = MAX_TRACKED_KEYS - MAX_TRACKED_KEYS / 10;

    private final Clock clock;
    private final ThrottleSettings settings;
    private final Map<Key, Failures> counters = new ConcurrentHashMap<>();
    /** When each account last signed in correctly from each address. */
    private final Map<Key, Instant> knownAddresses = new ConcurrentHashMap<>();
    private final ReentrantLock eviction = new ReentrantLock();

    public LoginThrottle(Clock clock, ThrottleSettings settings) {
        this.clock = clock;
        this.settings = settings;
    }

    /**
     * How long the caller must wait before trying this account's password from this address again; empty when it
     * may try now.
     *
     * @param username      the account name tried, or null for an attempt without one
     * @param clientAddress the client's address, or null when unknown
     */
    public Optional<Duration> blocked(String username, String clientAddress) {
        if (!settings.enabled()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Duration longest = remaining(Key.address(clientAddress), now);
        longest = longer(longest, remaining(Key.accountAndAddress(username, clientAddress), now));
        if (!known(username, clientAddress, now)) {
            longest = longer(longest, remaining(Key.account(username), now));
        }
        return longest.isZero() ? Optional.empty() : Optional.of(longest);
    }

    /** Counts a wrong password or an unknown user; with no user name (a bad token), against the address only. */
    public void failed(String username, String clientAddress) {
        if (!settings.enabled()) {
            return;
        }
        Instant now = clock.instant();
        count(Key.accountAndAddress(username, clientAddress), settings.maxFailuresPerAccountAndAddress(), now);
        count(Key.address(clientAddress), settings.maxFailuresPerAddress(), now);
        count(Key.account(username), settings.maxFailuresPerAccount(), now);
        if (counters.size() > MAX_TRACKED_KEYS) {
            evictOldest(counters, Failures::last, now);
        }
    }

    /**
     * Clears the account-and-address counter after a correct password and remembers the address as one the account
     * signs in from; the address's and the account's counters stay (see the class comment).
     */
    public void succeeded(String username, String clientAddress) {
        if (!settings.enabled()) {
            return;
        }
        Key pair = Key.accountAndAddress(username, clientAddress);
        if (pair == null) {
            return;
        }
        counters.remove(pair);
        knownAddresses.put(pair, clock.instant());
        if (knownAddresses.size() > MAX_TRACKED_KEYS) {
            evictOldest(knownAddresses, Function.identity(), clock.instant());
        }
    }

    /** How many counters and known addresses are remembered now. */
    int trackedKeys() {
        return counters.size() + knownAddresses.size();
    }

    private boolean known(String username, String clientAddress, Instant now) {
        Key pair = Key.accountAndAddress(username, clientAddress);
        Instant lastSuccess = pair == null ? null : knownAddresses.get(pair);
        if (lastSuccess == null) {
            return false;
        }
        if (!now.isBefore(lastSuccess.plus(settings.knownAddressLifetime()))) {
            knownAddresses.remove(pair, lastSuccess);
            return false;
        }
        return true;
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

    private void count(Key key, int max, Instant now) {
        if (key == null) {
            return;
        }
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

    private static Duration longer(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** Drops the entries whose last event is the oldest, down to {@link #EVICT_DOWN_TO}. */
    private <V> void evictOldest(Map<Key, V> entries, Function<V, Instant> last, Instant now) {
        eviction.lock();
        try {
            // Another thread may have evicted while this one waited.
            if (entries.size() <= MAX_TRACKED_KEYS) {
                return;
            }
            if (entries == counters) {
                counters.entrySet().removeIf(entry -> entry.getValue().forgotten(now, settings.window()));
            }
            int excess = entries.size() - EVICT_DOWN_TO;
            if (excess <= 0) {
                return;
            }
            List<Map.Entry<Key, V>> oldestFirst = new ArrayList<>(entries.entrySet());
            oldestFirst.sort(Comparator.comparing(entry -> last.apply(entry.getValue())));
            for (Map.Entry<Key, V> entry : oldestFirst.subList(0, Math.min(excess, oldestFirst.size()))) {
                // Only if it has not changed meanwhile: a fresh event makes it one of the newest.
                entries.remove(entry.getKey(), entry.getValue());
            }
        } finally {
            eviction.unlock();
        }
    }

    private enum Kind { ACCOUNT, ADDRESS, ACCOUNT_AND_ADDRESS }

    private record Key(Kind kind, String account, String address) {

        static Key account(String username) {
            String account = normalised(username);
            return account == null ? null : new Key(Kind.ACCOUNT, account, null);
        }

        static Key address(String clientAddress) {
            return blank(clientAddress) ? null : new Key(Kind.ADDRESS, null, clientAddress);
        }

        static Key accountAndAddress(String username, String clientAddress) {
            String account = normalised(username);
            return account == null || blank(clientAddress) ? null
                    : new Key(Kind.ACCOUNT_AND_ADDRESS, account, clientAddress);
        }

        private static String normalised(String username) {
            return blank(username) ? null : username.toLowerCase(Locale.ROOT);
        }

        private static boolean blank(String value) {
            return value == null || value.isBlank();
        }
    }

    /** One key's recent failures: how many, the last one, and when the block they earned ends. */
    private record Failures(int count, Instant last, Instant blockedUntil) {

        boolean forgotten(Instant now, Duration window) {
            return !now.isBefore(last.plus(window)) && !now.isBefore(blockedUntil);
        }
    }
}
