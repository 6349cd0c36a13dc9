package io.berth.engine.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;

import tools.jackson.databind.json.JsonMapper;

/**
 * One {@code GET /events} answer: JSON objects, one a line, for as long as the client listens or until {@code until}.
 * Each stream is written by a thread of its own, so that a slow client holds up nobody but itself.
 */
final class EventStream {

    private static final Logger log = LoggerFactory.getLogger(EventStream.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final AtomicInteger THREADS = new AtomicInteger();

    /** How often a waiting stream looks whether its deadline passed or the Engine stops. */
    private static final long POLL_MILLIS = 1_000;

    /**
     * Tomcat does not notice that the client of an idle async answer went away; only a write does. A lone newline
     * between two JSON objects is skipped by every JSON stream reader (Go's json.Decoder in the docker CLI included),
     * and a gone listener's thread and queue are freed within this time.
     */
    private static final long HEARTBEAT_NANOS = 30_000_000_000L;
    private static final byte[] HEARTBEAT = {'\n'};

    private EventStream() {
    }

    static ResponseBodyEmitter start(EngineEvents events, EventQuery query, Clock clock) throws IOException {
        // No timeout: `docker events` listens until it is interrupted.
        ResponseBodyEmitter emitter = new ResponseBodyEmitter(0L);
        EngineEvents.Subscription subscription = events.subscribe(query.sinceNano(), query.filter());
        emitter.onCompletion(subscription::close);
        emitter.onError(error -> subscription.close());
        emitter.onTimeout(subscription::close);
        // Commit the head now: clients wait for it before they go on (and may never see an event otherwise).
        emitter.send(new byte[0], MediaType.APPLICATION_JSON);
        Thread thread = new Thread(() -> run(emitter, subscription, query.untilNano(), clock),
                "engine-events-" + THREADS.incrementAndGet());
        thread.setDaemon(true);
        thread.start();
        return emitter;
    }

    private static void run(ResponseBodyEmitter emitter, EngineEvents.Subscription subscription, Long untilNano,
            Clock clock) {
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
                                send(emitter, event);
                            }
                        }
                        break;
                    }
                    wait = Math.min(wait, left);
                }
                EngineEvent event = subscription.next(wait);
                if (event != null && (untilNano == null || event.timeNano() <= untilNano)) {
                    send(emitter, event);
                    lastWrite = System.nanoTime();
                } else if (System.nanoTime() - lastWrite > HEARTBEAT_NANOS) {
                    emitter.send(HEARTBEAT, MediaType.APPLICATION_JSON);
                    lastWrite = System.nanoTime();
                }
            }
            emitter.complete();
        } catch (IOException e) {
            log.debug("events listener went away: {}", e.toString());
            emitter.completeWithError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            emitter.complete();
        } catch (RuntimeException e) {
            log.warn("events stream failed", e);
            emitter.completeWithError(e);
        }
    }

    private static void send(ResponseBodyEmitter emitter, EngineEvent event) throws IOException {
        byte[] line = (JSON.writeValueAsString(event.toJson()) + "\n").getBytes(StandardCharsets.UTF_8);
        emitter.send(line, MediaType.APPLICATION_JSON);
    }

    private static long now(Clock clock) {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
