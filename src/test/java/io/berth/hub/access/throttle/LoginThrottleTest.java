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

class LoginThrottleTest {

    private static final String HOME = "192.0.2.1";
    private static final String ELSEWHERE = "198.51.100.7";

    private final TestClock clock = new TestClock(Instant.parse("2025-01-01T00:00:00Z"));
    private final LoginThrottle throttle = new LoginThrottle(clock, ThrottleSettings.DEFAULTS);

    @Test
    void anAccountIsBlockedForTheBaseDelayAfterItsFifthFailure() {
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
    void aBlockedAccountIsForgottenOnceTheWindowAndItsBlockHavePassed() {
        fail("alice", HOME, 9);
        assertThat(throttle.blocked("alice", HOME)).contains(Duration.ofMinutes(8));

        clock.advance(Duration.ofMinutes(15));
        assertThat(throttle.blocked("alice", HOME)).isEmpty();
        fail("alice", HOME, 1);
        assertThat(throttle.blocked("alice", HOME)).as("one failure of a fresh count").isEmpty();
        assertThat(throttle.trackedKeys()).isEqualTo(2);
    }

    @Test
    void aBlockLongerThanTheWindowIsServedInFull() {
        LoginThrottle strict = new LoginThrottle(clock,
                new ThrottleSettings(true, 1, 0, Duration.ofMinutes(1), Duration.ofMinutes(10), Duration.ofHours(1)));
        strict.failed("alice", HOME);

        clock.advance(Duration.ofMinutes(5));
        assertThat(strict.blocked("alice", HOME)).contains(Duration.ofMinutes(5));
    }

    @Test
    void aCorrectLoginClearsTheAccountCounter() {
        fail("alice", HOME, 4);
        throttle.succeeded("alice", HOME);
        fail("alice", HOME, 4);
        assertThat(throttle.blocked("alice", HOME)).isEmpty();

        fail("alice", HOME, 1);
        throttle.succeeded("Alice", ELSEWHERE);
        assertThat(throttle.blocked("alice", HOME)).as("whatever the case and address of the success").isEmpty();
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
    void aBlockedAccountDoesNotBlockOthers() {
        fail("alice", HOME, 5);

        assertThat(throttle.blocked("bob", ELSEWHERE)).isEmpty();
        assertThat(throttle.blocked("bob", HOME)).as("five failures are far from the address limit").isEmpty();
        assertThat(throttle.blocked("alice", ELSEWHERE)).as("the account is blocked from everywhere").isPresent();
        assertThat(throttle.blocked("ALICE", ELSEWHERE)).as("whatever the case of its name").isPresent();
    }

    @Test
    void accountNamesDifferingInCaseShareACounter() {
        fail("Alice", HOME, 2);
        fail("ALICE", ELSEWHERE, 2);
        fail("alice", "203.0.113.9", 1);

        assertThat(throttle.blocked("aLiCe", null)).contains(Duration.ofSeconds(30));
    }

    @Test
    void theLongerOfTheTwoWaitsIsAnswered() {
        LoginThrottle strict = new LoginThrottle(clock,
                new ThrottleSettings(true, 1, 3, null, Duration.ofSeconds(10), Duration.ofHours(1)));
        for (int i = 0; i < 3; i++) {
            strict.failed("alice", HOME);
        }

        assertThat(strict.blocked("alice", HOME)).as("account: 2 beyond its limit").contains(Duration.ofSeconds(40));
        assertThat(strict.blocked("bob", HOME)).as("address: at its limit").contains(Duration.ofSeconds(10));
        assertThat(strict.blocked("alice", ELSEWHERE)).contains(Duration.ofSeconds(40));
    }

    @Test
    void anonymousFailuresCountAgainstTheAddressOnly() {
        for (int i = 0; i < 20; i++) {
            throttle.failed(null, HOME);
        }

        assertThat(throttle.blocked(null, HOME)).isPresent();
        assertThat(throttle.blocked("alice", ELSEWHERE)).isEmpty();
        assertThat(throttle.blocked(null, ELSEWHERE)).isEmpty();
        assertThat(throttle.trackedKeys()).isEqualTo(1);
    }

    @Test
    void aDisabledThrottleNeverBlocksNorCounts() {
        LoginThrottle off = new LoginThrottle(clock, new ThrottleSettings(false, 0, 0, null, null, null));
        for (int i = 0; i < 100; i++) {
            off.failed("alice", HOME);
        }

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
        assertThat(throttle.blocked("alice", ELSEWHERE)).as("the oldest counter was dropped").isEmpty();
        assertThat(throttle.blocked("bob", "203.0.113.9")).as("the newest survives").isPresent();
    }

    @Test
    void concurrentFailuresAreAllCounted() throws Exception {
        int threads = 8;
        int each = 500;
        LoginThrottle exact = new LoginThrottle(clock,
                new ThrottleSettings(true, threads * each, 0, null, null, null));
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
        assertThat(new ThrottleSettings(true, 0, 0, Duration.ZERO, null, null)).isEqualTo(new ThrottleSettings(true,
                5, 20, Duration.ofMinutes(15), Duration.ofSeconds(30), Duration.ofMinutes(15)));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ThrottleSettings(true, -1, 0, null, null, null))
                .withMessageContaining("max-failures-per-account");
    }

    private void fail(String username, String address, int times) {
        for (int i = 0; i < times; i++) {
            throttle.failed(username, address);
        }
    }
}
