package io.berth.ops;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of health and metrics ({@code berth.ops.*}); config/application.yml documents each.
 *
 * @param hubGaugesMaxAge how old the figures behind {@code berth.hub.storage.bytes} and {@code berth.hub.repositories}
 *                        may be before a scrape reads them again from the database
 */
@ConfigurationProperties("berth.ops")
public record OpsProperties(@DefaultValue("30s") Duration hubGaugesMaxAge) {
}
