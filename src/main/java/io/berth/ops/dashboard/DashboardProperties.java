package io.berth.ops.dashboard;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the operators' dashboard ({@code berth.ops.dashboard.*}); config/application.yml documents each.
 *
 * @param sampleInterval how often the meters are read; also the resolution of the charts
 * @param retention      how far back the charts reach: this span divided by the interval is the points kept per series
 */
@ConfigurationProperties("berth.ops.dashboard")
public record DashboardProperties(
        @DefaultValue("10s") Duration sampleInterval,
        @DefaultValue("24h") Duration retention) {

    /** The most points a series may keep: 16 bytes each, so at most 16 MB a series whatever is configured. */
    static final int MAX_POINTS = 1_000_000;

    public DashboardProperties {
        if (sampleInterval.toMillis() < 1000) {
            throw new IllegalArgumentException("berth.ops.dashboard.sample-interval must be at least 1s, not "
                    + sampleInterval);
        }
        if (retention.compareTo(sampleInterval) < 0) {
            throw new IllegalArgumentException("berth.ops.dashboard.retention (" + retention
                    + ") must be at least the sample interval (" + sampleInterval + ")");
        }
        if (retention.toMillis() / sampleInterval.toMillis() > MAX_POINTS) {
            throw new IllegalArgumentException("berth.ops.dashboard.retention / sample-interval would keep more than "
                    + MAX_POINTS + " points per series");
        }
    }

    /** The points a series keeps: {@code retention / sampleInterval}. */
    int capacity() {
        return (int) Math.max(2, retention.toMillis() / sampleInterval.toMillis());
    }
}
