package io.berth.common;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings shared by both roles.
 *
 * @param dataDir the directory every file Berth writes lives under
 */
@ConfigurationProperties("berth")
public record BerthProperties(Path dataDir) {

    public BerthProperties {
        if (dataDir == null) {
            dataDir = Path.of("data");
        }
        dataDir = dataDir.toAbsolutePath().normalize();
    }
}
