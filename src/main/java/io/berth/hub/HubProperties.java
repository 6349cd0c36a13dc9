package io.berth.hub;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the registry role ({@code berth.hub.*}); config/application.yml documents each.
 */
@ConfigurationProperties("berth.hub")
public record HubProperties(
        @DefaultValue("true") boolean deleteEnabled,
        @DefaultValue("4MB") DataSize manifestMaxSize,
        @DefaultValue("10000") int maxPageSize,
        @DefaultValue Gc gc) {

    /** Garbage collection settings. */
    public record Gc(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("24h") Duration interval,
            @DefaultValue("1h") Duration gracePeriod,
            @DefaultValue("24h") Duration uploadExpiry) {
    }
}
