package io.berth.hub.distribution;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Per-account caps on blob uploads in progress ({@code berth.hub.uploads.*}); config/application.yml documents each.
 *
 * @param maxSessionsPerAccount how many uploads one account may have open at once
 * @param maxBytesPerAccount    how many bytes one account's open uploads may hold together
 */
@ConfigurationProperties("berth.hub.uploads")
public record UploadProperties(
        @DefaultValue("100") int maxSessionsPerAccount,
        @DefaultValue("10GB") DataSize maxBytesPerAccount) {
}
