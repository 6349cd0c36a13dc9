package io.berth.hub.gc;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

import io.berth.hub.HubProperties;

/**
 * Removes idle uploads every quarter of {@code berth.hub.gc.upload-expiry} (at least every second), so that an upload
 * abandoned mid-way is gone within about 1.25 times the expiry rather than at the next collection, a day later. Part of
 * the scheduled garbage collection: off with {@code berth.hub.gc.enabled=false}, like the collections.
 */
@Component
@ConditionalOnProperty(name = "berth.hub.gc.enabled", havingValue = "true", matchIfMissing = true)
class IdleUploadSweep implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(IdleUploadSweep.class);
    private static final Duration MIN_INTERVAL = Duration.ofSeconds(1);

    private final GarbageCollector collector;
    private final TaskScheduler scheduler;
    private final Duration interval;
    private volatile ScheduledFuture<?> task;

    IdleUploadSweep(GarbageCollector collector, TaskScheduler scheduler, HubProperties properties) {
        this.collector = collector;
        this.scheduler = scheduler;
        Duration quarter = properties.gc().uploadExpiry().dividedBy(4);
        this.interval = quarter.compareTo(MIN_INTERVAL) < 0 ? MIN_INTERVAL : quarter;
    }

    @Override
    public void start() {
        task = scheduler.scheduleWithFixedDelay(this::sweep, Instant.now().plus(interval), interval);
    }

    @Override
    public void stop() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }

    @Override
    public boolean isRunning() {
        return task != null;
    }

    private void sweep() {
        try {
            long removed = collector.removeIdleUploads();
            if (removed > 0) {
                log.info("removed {} uploads idle for longer than the upload expiry", removed);
            }
        } catch (IOException | RuntimeException e) {
            log.warn("removing idle uploads failed; trying again in {}", interval, e);
        }
    }
}
