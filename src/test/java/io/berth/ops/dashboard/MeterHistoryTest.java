package io.berth.ops.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import io.berth.support.TestClock;

/** The dashboard's history of the meters: rates of counters, values of gauges, means of timers, the ring's bound. */
class MeterHistoryTest {

    private static final Instant START = Instant.parse("2026-11-28T10:00:00Z");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final TestClock clock = new TestClock(START);

    @Test
    void aCounterBecomesItsIncreasePerSecond() {
        Counter pushes = registry.counter("berth.hub.pushes");
        pushes.increment(7); // before the first sample: not a rate of any interval
        MeterHistory history = history(Duration.ofHours(1));

        history.sample();
        clock.advance(Duration.ofSeconds(10));
        pushes.increment(50);
        history.sample();
        clock.advance(Duration.ofSeconds(10));
        history.sample();

        assertThat(points(history, "pushes")).containsExactly(
                new Point(START.getEpochSecond() + 10, 5.0),
                new Point(START.getEpochSecond() + 20, 0.0));
    }

    @Test
    void aGaugeIsItsValueAndOnlyTheTaggedOnesCount() {
        AtomicInteger running = new AtomicInteger(3);
        Gauge.builder("berth.engine.containers", running, AtomicInteger::get).tag("state", "running")
                .register(registry);
        Gauge.builder("berth.engine.containers", () -> 40).tag("state", "exited").register(registry);
        MeterHistory history = history(Duration.ofHours(1));

        history.sample();
        running.set(2);
        clock.advance(Duration.ofSeconds(10));
        history.sample();

        assertThat(points(history, "containers.running")).containsExactly(
                new Point(START.getEpochSecond(), 3.0), new Point(START.getEpochSecond() + 10, 2.0));
        assertThat(history.series().stream().filter(s -> s.name().equals("containers.running")).findFirst()
                .orElseThrow().latest()).isEqualTo("2");
    }

    @Test
    void aTimerBecomesTheMeanOfItsIntervalAndItsMaximum() {
        Timer requests = registry.timer("http.server.requests", "uri", "/v2/");
        Timer other = registry.timer("http.server.requests", "uri", "/token");
        requests.record(Duration.ofMillis(500)); // before the first sample
        MeterHistory history = history(Duration.ofHours(1));

        history.sample();
        clock.advance(Duration.ofSeconds(10));
        requests.record(Duration.ofMillis(10));
        other.record(Duration.ofMillis(30));
        history.sample();
        clock.advance(Duration.ofSeconds(10));
        history.sample(); // nothing timed: no mean to show

        assertThat(points(history, "requests.latency.mean")).containsExactly(
                new Point(START.getEpochSecond() + 10, 20.0));
        assertThat(points(history, "requests.latency.max")).first()
                .satisfies(point -> assertThat(point.value()).isEqualTo(500.0));
    }

    @Test
    void seriesWhoseMeterDoesNotExistStayEmpty() {
        MeterHistory history = history(Duration.ofHours(1));
        history.sample();
        clock.advance(Duration.ofSeconds(10));
        history.sample();

        assertThat(history.series()).extracting(SeriesView::name).contains("storage.used", "container.start.mean");
        assertThat(history.series()).allSatisfy(series -> assertThat(series.points()).isEmpty());
        assertThat(history.series().get(0).latest()).isEqualTo("no data yet");
    }

    @Test
    void theRingKeepsTheLastPointsUpToItsCapacity() {
        AtomicInteger bytes = new AtomicInteger();
        Gauge.builder("berth.hub.storage.bytes", bytes, AtomicInteger::get).register(registry);
        MeterHistory history = history(Duration.ofSeconds(30)); // 3 points at 10 s

        for (int i = 1; i <= 5; i++) {
            bytes.set(i * 1000);
            history.sample();
            clock.advance(Duration.ofSeconds(10));
        }

        assertThat(points(history, "storage.used")).containsExactly(
                new Point(START.getEpochSecond() + 20, 3000.0),
                new Point(START.getEpochSecond() + 30, 4000.0),
                new Point(START.getEpochSecond() + 40, 5000.0));
        assertThat(history.series().stream().filter(s -> s.name().equals("storage.used")).findFirst()
                .orElseThrow().latest()).isEqualTo("5 kB");
    }

    @Test
    void aRetentionShorterThanTheIntervalIsRefused() {
        assertThatThrownBy(() -> new DashboardProperties(Duration.ofSeconds(10), Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retention");
        assertThat(new DashboardProperties(Duration.ofSeconds(10), Duration.ofHours(24)).capacity()).isEqualTo(8640);
    }

    private MeterHistory history(Duration retention) {
        return new MeterHistory(registry, new DashboardProperties(Duration.ofSeconds(10), retention), clock);
    }

    private static List<Point> points(MeterHistory history, String name) {
        return history.series().stream().filter(series -> series.name().equals(name)).findFirst().orElseThrow()
                .points();
    }
}
