package io.berth.ops;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of health and metrics ({@code berth.ops.*}); config/application.yml documents each.
 *
 * @param blobStorageMinFree the free space below which the {@code blobStorage} health is DOWN
 * @param hubGaugesMaxAge    how old the figures behind {@code berth.hub.storage.bytes} and {@code berth.hub.repositories}
 *                           may be before a scrape reads them again from the database
 */
@ConfigurationProperties("berth.ops")
public record OpsProperties(
        @DefaultValue("1GB") DataSize blobStorageMinFree,
        @DefaultValue("30s") Duration hubGaugesMaxAge) {
}
