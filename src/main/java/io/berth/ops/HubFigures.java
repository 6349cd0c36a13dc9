package io.berth.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import io.berth.hub.gc.GarbageCollector;
import io.berth.hub.metadata.Blobs;
import io.berth.hub.metadata.Manifests;
import io.berth.hub.metadata.Repositories;
import io.berth.hub.metadata.Tags;
import io.berth.hub.metadata.UploadSessions;

/**
 * The registry's figures, read from its metadata (counts and one sum in the database, never a walk over the blob
 * files). The two that Prometheus scrapes are kept for {@code berth.ops.hub-gauges-max-age}, so that frequent scrapes
 * of several replicas cost the database a query now and then rather than on every scrape.
 */
@Component
@OnHub
class HubFigures {

    /** What the gauges show, and when it was read. */
    record Totals(long bytesStored, long repositories, Instant readAt) {
    }

    private final Repositories repositories;
    private final Tags tags;
    private final Manifests manifests;
    private final Blobs blobs;
    private final UploadSessions uploads;
    private final GarbageCollector collector;
    private final Duration maxAge;
    private final Clock clock;
    private Totals totals;

    HubFigures(Repositories repositories, Tags tags, Manifests manifests, Blobs blobs, UploadSessions uploads,
            GarbageCollector collector, OpsProperties ops, Clock clock) {
        this.repositories = repositories;
        this.tags = tags;
        this.manifests = manifests;
        this.blobs = blobs;
        this.uploads = uploads;
        this.collector = collector;
        this.maxAge = ops.hubGaugesMaxAge();
        this.clock = clock;
    }

    /** Read now; the gauges show these figures from here on. */
    @Transactional(readOnly = true)
    public HubReport report() {
        HubReport report = new HubReport(repositories.count(), tags.count(), manifests.count(), blobs.count(),
                blobs.totalSize(), uploads.count(), collector.lastRun().map(run -> new HubReport.LastGc(
                        run.getStartedAt(), run.getFinishedAt(), run.getTrigger(), run.getLinksRemoved(),
                        run.getBlobsRemoved(), run.getBytesFreed(), run.getUploadsRemoved(), run.getOrphansRemoved()))
                        .orElse(null));
        synchronized (this) {
            totals = new Totals(report.bytesStored(), report.repositories(), clock.instant());
        }
        return report;
    }

    /** The gauges' figures: those last read, or read again when older than the maximum age. */
    synchronized Totals totals() {
        Instant now = clock.instant();
        if (totals == null || totals.readAt().plus(maxAge).isBefore(now)) {
            totals = new Totals(blobs.totalSize(), repositories.count(), now);
        }
        return totals;
    }
}
