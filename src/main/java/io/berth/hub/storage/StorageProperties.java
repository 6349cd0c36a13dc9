package io.berth.hub.storage;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the Hub's storage ({@code berth.hub.storage.*}); config/application.yml documents each.
 *
 * @param reserve the free space uploads and manifest pushes may not take: below it they are refused, so that the
 *                database, deletes and garbage collection always have room
 */
@ConfigurationProperties("berth.hub.storage")
public record StorageProperties(@DefaultValue("1GB") DataSize reserve) {
}
