package io.berth.engine.events;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import io.berth.engine.OnEngine;

/**
 * The Engine's event bus, for {@code docker events}. Publishers never wait for listeners: each subscription has a
 * bounded queue, and a listener that falls {@value #QUEUE_CAPACITY} events behind misses the next ones (dockerd drops
 * events for slow listeners too). The last {@value #HISTORY} events are kept for {@code since}.
 */
@Component
@OnEngine
public class EngineEvents implements SmartLifecycle {

    static final int HISTORY = 1024;
    static final int QUEUE_CAPACITY = 1024;

    private static final Logger log = LoggerFactory.getLogger(EngineEvents.class);

    private final Clock clock;
    private final Deque<EngineEvent> history = new ArrayDeque<>();
    private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();
    private long lastTimeNano;
    private volatile boolean running;

    public EngineEvents(Clock clock) {
        this.clock = clock;
    }

    public void publish(String type, String action, String id, Map<String, String> attributes) {
        EngineEvent event;
        synchronized (history) {
            event = new EngineEvent(type, action, id, attributes == null ? Map.of() : attributes, nextTimeNano());
            if (history.size() == HISTORY) {
                history.removeFirst();
            }
            history.addLast(event);
            // Offered while holding the lock, so that a subscription sees the history and then the live events
            // without a gap or a duplicate.
            for (Subscription subscription : subscriptions) {
                subscription.offer(event);
            }
        }
    }

    /**
     * Starts listening. The subscription first holds the kept events from {@code sinceNano} on (none when null), then
     * every new one that {@code filter} accepts. Close it when done.
     */
    public Subscription subscribe(Long sinceNano, Predicate<EngineEvent> filter) {
        Subscription subscription = new Subscription(filter);
        synchronized (history) {
            if (sinceNano != null) {
                for (EngineEvent event : history) {
                    if (event.timeNano() >= sinceNano) {
                        subscription.offer(event);
                    }
                }
            }
            subscriptions.add(subscription);
        }
        return subscription;
    }

    /** How many {@code /events} answers listen now, for {@code docker info}. */
    public int listeners() {
        return subscriptions.size();
    }

    @Override
    public void start() {
        running = true;
    }

    /**
     * Ends every subscription, so that open {@code /events} streams end and let the server stop at once: this runs
     * before the web server's graceful shutdown (a higher phase stops first), which would otherwise wait for them.
     */
    @Override
    public void stop() {
        running = false;
        for (Subscription subscription : List.copyOf(subscriptions)) {
            subscription.close();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Strictly increasing, so that {@code since} and {@code until} split the stream unambiguously. */
    private long nextTimeNano() {
        Instant now = clock.instant();
        long nano = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        lastTimeNano = Math.max(nano, lastTimeNano + 1);
        return lastTimeNano;
    }

    /** One listener's queue of events. */
    public final class Subscription implements AutoCloseable {

        private final Predicate<EngineEvent> filter;
        private final BlockingQueue<EngineEvent> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
        private volatile boolean closed;

        private Subscription(Predicate<EngineEvent> filter) {
            this.filter = filter;
        }

        private void offer(EngineEvent event) {
            if (!closed && filter.test(event) && !queue.offer(event)) {
                log.debug("an events listener is {} events behind; dropping {} {}", QUEUE_CAPACITY, event.type(),
                        event.action());
            }
        }

        /** The next event, waiting up to {@code timeoutMillis}; null when none came or the subscription is closed. */
        public EngineEvent next(long timeoutMillis) throws InterruptedException {
            if (closed) {
                return null;
            }
            return queue.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        }

        /** The events already queued, without waiting. */
        public List<EngineEvent> drain() {
            List<EngineEvent> events = new ArrayList<>();
            queue.drainTo(events);
            return events;
        }

        public boolean isClosed() {
            return closed;
        }

        @Override
        public void close() {
            closed = true;
            subscriptions.remove(this);
        }
    }
}
