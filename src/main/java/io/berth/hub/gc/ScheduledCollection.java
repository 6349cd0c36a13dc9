package io.berth.hub.gc;

import java.io.IOException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Runs garbage collection every {@code berth.hub.gc.interval}, unless {@code berth.hub.gc.enabled} is false. */
@Component
@ConditionalOnProperty(name = "berth.hub.gc.enabled", havingValue = "true", matchIfMissing = true)
class ScheduledCollection {

    private static final Logger log = LoggerFactory.getLogger(ScheduledCollection.class);

    private final GarbageCollector collector;

    ScheduledCollection(GarbageCollector collector) {
        this.collector = collector;
    }

    @Scheduled(initialDelayString = "${berth.hub.gc.interval}", fixedDelayString = "${berth.hub.gc.interval}")
    void collect() {
        try {
            collector.collect("schedule");
        } catch (IOException | RuntimeException e) {
            log.error("scheduled garbage collection failed; the next one runs after the interval", e);
        }
    }
}
