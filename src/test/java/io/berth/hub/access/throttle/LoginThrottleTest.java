package io.berth.hub.access.throttle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import io.berth.support.TestClock;

/**
 * The login throttle on a clock of its own: who is held off after how many failures, for how long, and that a
 * stranger's failures never hold off the owner where the owner signs in.
 */
class LoginThrottleTest {

    private static final String HOME = "192.0.2.1";
    private static final String ELSEWHERE = "198.51.100.7";
    private static final String ATTACKER = "203.0.113.66";

    private final TestClock clock = new TestClock(Instant.parse("2025-01-01T00:00:00Z"));
    private final LoginThrottle throttle = new LoginThrottle(clock, ThrottleSettings.DEFAULTS);

    @Test
    void anAddressIsHeldOffAnAccountForTheBaseDelayAfterItsFifthFailureThere() {
        fail("alice", HOME, 4);
        assertThat(throttle.blocked("alice", HOME)).isEmpty();

        fail("alice", HOME, 1);
        assertThat(throttle.blocked("alice", HOME)).contains(Duration.ofSeconds(30));

        clock.advance(Duration.ofSeconds(10));
        assertThat(throttle.blocked("alice", HOME)).contains(Duration.ofSeconds(20));
        clock.advance(Duration.ofSeconds(20));
        assertThat(throttle.blocked("alice", HOME)).isEmpty();
    }

    @Test
    void eachFurtherFailureDoublesTheBlock() {
        fail("alice", HOME, 5);
        Duration expected = Duration.ofSeconds(30);
        for (int i = 0; i < 4; i++) {
            assertThat(throttle.blocked("alice", HOME)).contains(expected);
            clock.advance(expected);
            assertThat(throttle.blocked("alice", HOME)).isEmpty();
            fail("alice", HOME, 1);
            expected = expected.multipliedBy(2);
        }
        assertThat(throttle.blocked("alice", HOME)).contains(Duration.ofSeconds(480));
    }

    @Test
    void theBlockStopsGrowingAtTheMaximumDelay() {
        fail("alice", HOME, 5 + 4);
        assertThat(throttle.blocked("alice", HOME)).contains(Duration.ofMinutes(8));

        fail("alice", HOME, 1);
        assertThat(throttle.blocked("alice", HOME)).as("16 minutes, capped").contains(Duration.ofMinutes(15));

        fail("alice", HOME, 1_000);
        assertThat(throttle.blocked("alice", HOME)).contains(Duration.ofMinutes(15));
    }

    @Test
    void failuresAreForgottenAfterAQuietWindow() {
        fail("alice", HOME, 4);
        clock.advance(Duration.ofMinutes(15));
        fail("alice", HOME, 4);
        assertThat(throttle.blocked("alice", HOME)).as("the count started again").isEmpty();

        clock.advance(Duration.ofMinutes(14));
        fail("alice", HOME, 1);
        assertThat(throttle.blocked("alice", HOME)).as("failures less than a window apart add up").isPresent();
    }

    @Test
    void aBlockIsForgottenOnceTheWindowAndTheBlockHavePassed() {
        fail("alice", HOME, 9);
        assertThat(throttle.blocked("alice", HOME)).contains(Duration.ofMinutes(8));

        clock.advance(Duration.ofMinutes(15));
        assertThat(throttle.blocked("alice", HOME)).isEmpty();
        fail("alice", HOME, 1);
        assertThat(throttle.blocked("alice", HOME)).as("one failure of a fresh count").isEmpty();
        assertThat(throttle.trackedKeys()).as("the account at the address, the address, the account").isEqualTo(3);
    }

    @Test
    void aBlockLongerThanTheWindowIsServedInFull() {
        LoginThrottle strict = new LoginThrottle(clock, new ThrottleSettings(true, 1, 0, 0, Duration.ofMinutes(1),
                Duration.ofMinutes(10), Duration.ofHours(1), null));
        strict.failed("alice", HOME);

        clock.advance(Duration.ofMinutes(5));
        assertThat(strict.blocked("alice", HOME)).contains(Duration.ofMinutes(5));
    }

    @Test
    void aGuesserAtOneAddressIsHeldOffAndTheOwnerElsewhereIsNot() {
        fail("alice", ATTACKER, 5);

        assertThat(throttle.blocked("alice", ATTACKER)).as("the guesser waits").contains(Duration.ofSeconds(30));
        assertThat(throttle.blocked("alice", HOME)).as("the owner, even at an address never seen").isEmpty();
        assertThat(throttle.blocked("ALICE", ATTACKER)).as("whatever the case of the name").isPresent();
        assertThat(throttle.blocked("bob", ATTACKER)).as("five failures are far from the address limit").isEmpty();
    }

    @Test
    void guessingSpreadOverAddressesHoldsOffAddressesTheAccountDoesNotSignInFrom() {
        throttle.succeeded("alice", HOME);
        for (int i = 0; i < ThrottleSettings.DEFAULT_MAX_FAILURES_PER_ACCOUNT; i++) {
            throttle.failed("alice", "10.0.0." + i); // one guess from each of many addresses
        }

        assertThat(throttle.blocked("alice", "10.0.0.200")).as("a new address of the botnet").contains(Duration.ofSeconds(30));
        assertThat(throttle.blocked("alice", ELSEWHERE)).as("any address alice never signed in from").isPresent();
        assertThat(throttle.blocked("alice", HOME)).as("where alice signs in").isEmpty();
        assertThat(throttle.blocked("bob", "10.0.0.200")).as("other accounts").isEmpty();
    }

    @Test
    void anAddressStaysKnownForItsLifetime() {
        throttle.succeeded("alice", HOME);
        clock.advance(ThrottleSettings.DEFAULT_KNOWN_ADDRESS_LIFETIME.minusMinutes(5));
        fail("alice", ATTACKER, 5);
        fail("alice", ELSEWHERE, 5);
        assertThat(throttle.blocked("alice", ELSEWHERE)).isPresent();
        assertThat(throttle.blocked("alice", HOME)).isEmpty();

        clock.advance(Duration.ofMinutes(5));
        fail("alice", "10.0.0.1", 1);
        assertThat(throttle.blocked("alice", HOME)).as("30 days after its last sign-in, a stranger").isPresent();
    }

    @Test
    void aCorrectLoginClearsItsAccountAtItsAddressOnly() {
        fail("alice", HOME, 4);
        throttle.succeeded("alice", HOME);
        fail("alice", HOME, 4);
        assertThat(throttle.blocked("alice", HOME)).isEmpty();

        fail("alice", ELSEWHERE, 4);
        throttle.succeeded("Alice", HOME);
        fail("alice", ELSEWHERE, 1);
        assertThat(throttle.blocked("alice", ELSEWHERE)).as("a success at home clears nothing elsewhere").isPresent();
    }

    @Test
    void aCorrectLoginLeavesTheAccountCounter() {
        throttle.succeeded("alice", HOME);
        for (int i = 0; i < 9; i++) {
            throttle.failed("alice", "10.0.0." + i);
        }
        throttle.succeeded("alice", HOME); // the owner's CI signing in all the time must not reset the guessers
        throttle.failed("alice", "10.0.0.9");

        assertThat(throttle.blocked("alice", "10.0.0.10")).isPresent();
    }

    @Test
    void aCorrectLoginLeavesTheAddressCounter() {
        for (int i = 0; i < 19; i++) {
            throttle.failed("user" + i, HOME);
        }
        throttle.succeeded("mallory", HOME);
        throttle.failed("user19", HOME);

        assertThat(throttle.blocked("mallory", HOME)).contains(Duration.ofSeconds(30));
    }

    @Test
    void anAddressIsBlockedAfterFailuresOnManyAccounts() {
        for (int i = 0; i < 20; i++) {
            throttle.failed("user" + i, HOME);
        }

        assertThat(throttle.blocked("someone-else", HOME)).contains(Duration.ofSeconds(30));
        assertThat(throttle.blocked(null, HOME)).contains(Duration.ofSeconds(30));
        assertThat(throttle.blocked("user0", ELSEWHERE)).as("each account failed once only").isEmpty();
    }

    @Test
    void accountNamesDifferingInCaseShareACounter() {
        fail("Alice", HOME, 2);
        fail("ALICE", HOME, 2);
        fail("alice", HOME, 1);
        assertThat(throttle.blocked("aLiCe", HOME)).contains(Duration.ofSeconds(30));

        fail("ALICE", ELSEWHERE, 5);
        assertThat(throttle.blocked("alice", "203.0.113.9")).as("ten failures of alice in all").isPresent();
    }

    @Test
    void theLongestWaitIsAnswered() {
        LoginThrottle strict = new LoginThrottle(clock,
                new ThrottleSettings(true, 1, 3, 0, null, Duration.ofSeconds(10), Duration.ofHours(1), null));
        for (int i = 0; i < 3; i++) {
            strict.failed("alice", HOME);
        }

        assertThat(strict.blocked("alice", HOME)).as("alice at home: 2 beyond its limit").contains(Duration.ofSeconds(40));
        assertThat(strict.blocked("bob", HOME)).as("the address: at its limit").contains(Duration.ofSeconds(10));
        assertThat(strict.blocked("alice", ELSEWHERE)).as("alice: within her budget of 10").isEmpty();
    }

    @Test
    void failuresWithoutANameCountAgainstTheAddressOnly() {
        for (int i = 0; i < 20; i++) {
            throttle.failed(null, HOME);
        }

        assertThat(throttle.blocked(null, HOME)).isPresent();
        assertThat(throttle.blocked("alice", ELSEWHERE)).isEmpty();
        assertThat(throttle.blocked(null, ELSEWHERE)).isEmpty();
        assertThat(throttle.trackedKeys()).isEqualTo(1);
    }

    @Test
    void failuresWithoutAnAddressCountAgainstTheAccount() {
        fail("alice", null, 10);

        assertThat(throttle.blocked("alice", null)).isPresent();
        assertThat(throttle.blocked("alice", ELSEWHERE)).isPresent();
        assertThat(throttle.trackedKeys()).isEqualTo(1);
    }

    @Test
    void aDisabledThrottleNeverBlocksNorCounts() {
        LoginThrottle off = new LoginThrottle(clock, new ThrottleSettings(false, 0, 0, 0, null, null, null, null));
        for (int i = 0; i < 100; i++) {
            off.failed("alice", HOME);
        }
        off.succeeded("alice", HOME);

        assertThat(off.blocked("alice", HOME)).isEmpty();
        assertThat(off.trackedKeys()).isZero();
    }

    @Test
    void sprayedAddressesEvictTheOldestCountersAndStayBounded() {
        fail("alice", HOME, 5);
        clock.advance(Duration.ofSeconds(1));

        for (int i = 0; i < LoginThrottle.MAX_TRACKED_KEYS + 50_000; i++) {
            throttle.failed(null, "10." + (i >> 16) + "." + ((i >> 8) & 0xff) + "." + (i & 0xff));
            assertThat(throttle.trackedKeys()).isLessThanOrEqualTo(LoginThrottle.MAX_TRACKED_KEYS);
        }
        clock.advance(Duration.ofSeconds(1));
        fail("bob", ELSEWHERE, 5);

        assertThat(throttle.trackedKeys()).isLessThanOrEqualTo(LoginThrottle.MAX_TRACKED_KEYS);
        assertThat(throttle.blocked("alice", HOME)).as("the oldest counter was dropped").isEmpty();
        assertThat(throttle.blocked("bob", ELSEWHERE)).as("the newest survives").isPresent();
    }

    @Test
    void knownAddressesStayBoundedToo() {
        for (int i = 0; i < LoginThrottle.MAX_TRACKED_KEYS + 20_000; i++) {
            throttle.succeeded("user" + i, HOME);
        }

        assertThat(throttle.trackedKeys()).isLessThanOrEqualTo(LoginThrottle.MAX_TRACKED_KEYS + 1);
    }

    @Test
    void concurrentFailuresAreAllCounted() throws Exception {
        int threads = 8;
        int each = 500;
        LoginThrottle exact = new LoginThrottle(clock,
                new ThrottleSettings(true, 0, 0, threads * each, null, null, null, null));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String address = "10.0.0." + t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        exact.failed("alice", address);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }

        Optional<Duration> wait = exact.blocked("alice", HOME);
        assertThat(wait).as("a lost update would leave the account one failure short of its limit")
                .contains(ThrottleSettings.DEFAULT_BASE_DELAY);
    }

    @Test
    void zeroSettingsTakeTheDefaultsAndNegativeOnesAreRefused() {
        assertThat(new ThrottleSettings(true, 0, 0, 0, Duration.ZERO, null, null, null)).isEqualTo(new ThrottleSettings(
                true, 5, 20, 10, Duration.ofMinutes(15), Duration.ofSeconds(30), Duration.ofMinutes(15), Duration.ofDays(30)));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ThrottleSettings(true, 0, 0, -1, null, null, null, null))
                .withMessageContaining("max-failures-per-account");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ThrottleSettings(true, 0, 0, 0, null, null, null, Duration.ofDays(-1)))
                .withMessageContaining("known-address-lifetime");
    }

    private void fail(String username, String address, int times) {
        for (int i = 0; i < times; i++) {
            throttle.failed(username, address);
        }
    }
}
