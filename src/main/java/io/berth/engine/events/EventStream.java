package io.berth.engine.events;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code GET /events} answer: the events the query asks for, in order, for as long as the listener listens or until
 * {@code until}. Each stream is written by a thread of its own, so that a slow listener holds up nobody but itself.
 */
final class EventStream {

    private static final Logger log = LoggerFactory.getLogger(EventStream.class);
    private static final AtomicInteger THREADS = new AtomicInteger();

    /** How often a waiting stream looks whether its deadline passed or the Engine stops. */
    private static final long POLL_MILLIS = 1_000;

    /**
     * Tomcat does not notice that the client of an idle async answer went away; only a write does. A listener that went
     * away is noticed, and its thread and queue freed, within this time.
     */
    private static final long HEARTBEAT_NANOS = 30_000_000_000L;

    private EventStream() {
    }

    /**
     * Starts giving the events of {@code subscription} to {@code sink} on a thread of its own; the subscription is
     * closed when the stream ends.
     */
    static void start(EngineEvents.Subscription subscription, Long untilNano, Clock clock, EventSink sink) {
        Thread thread = new Thread(() -> run(subscription, untilNano, clock, sink),
                "engine-events-" + THREADS.incrementAndGet());
        thread.setDaemon(true);
        thread.start();
    }

    private static void run(EngineEvents.Subscription subscription, Long untilNano, Clock clock, EventSink sink) {
        try (subscription) {
            long lastWrite = System.nanoTime();
            while (!subscription.isClosed()) {
                long wait = POLL_MILLIS;
                if (untilNano != null) {
                    long left = (untilNano - now(clock)) / 1_000_000L;
                    if (left <= 0) {
                        // What was published up to the deadline is already queued.
                        for (EngineEvent event : subscription.drain()) {
                            if (event.timeNano() <= untilNano) {
                                sink.event(event.toMessage());
                            }
                        }
                        break;
                    }
                    wait = Math.min(wait, left);
                }
                EngineEvent event = subscription.next(wait);
                if (event != null && (untilNano == null || event.timeNano() <= untilNano)) {
                    sink.event(event.toMessage());
                    lastWrite = System.nanoTime();
                } else if (System.nanoTime() - lastWrite > HEARTBEAT_NANOS) {
                    sink.heartbeat();
                    lastWrite = System.nanoTime();
                }
            }
            sink.completed();
        } catch (IOException e) {
            log.debug("events listener went away: {}", e.toString());
            sink.failed(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            sink.completed();
        } catch (RuntimeException e) {
            log.warn("events stream failed", e);
            sink.failed(e);
        }
    }

    private static long now(Clock clock) {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
