package io.berth.engine.graph;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.berth.common.BerthProperties;
import io.berth.engine.EngineProperties;
import io.berth.engine.OnEngine;

/**
 * Provides the {@link GraphDriver} chosen by {@code berth.engine.storage-driver}: {@code overlay}, {@code vfs}, or
 * {@code auto} (overlay where a test mount in the data dir works, else vfs). An explicit overlay that cannot mount
 * stops start-up, rather than failing on the first container.
 */
@OnEngine
@Configuration(proxyBeanMethods = false)
public class GraphDriverConfiguration {

    private static final Logger log = LoggerFactory.getLogger(GraphDriverConfiguration.class);

    @Bean
    GraphDriver graphDriver(BerthProperties berth, EngineProperties engine) throws IOException {
        return choose(engine.storageDriver(), Files.createDirectories(berth.dataDir().resolve("engine")));
    }

    /** The driver for a {@code storage-driver} setting, its layers under {@code engineDirectory}. */
    static GraphDriver choose(String storageDriver, Path engineDirectory) throws IOException {
        String setting = storageDriver == null ? "auto" : storageDriver.trim().toLowerCase(Locale.ROOT);
        return switch (setting) {
            case OverlayDriver.NAME -> {
                String reason = OverlayMounts.unavailableReason(engineDirectory);
                if (reason != null) {
                    throw new IllegalStateException("berth.engine.storage-driver=overlay, but " + reason
                            + "; use vfs or auto");
                }
                log.info("Engine storage driver: overlay (configured), layers in {}", engineDirectory);
                yield new OverlayDriver(engineDirectory);
            }
            case VfsDriver.NAME -> {
                log.info("Engine storage driver: vfs (configured), layers in {}", engineDirectory);
                yield new VfsDriver(engineDirectory);
            }
            case "auto" -> {
                String reason = OverlayMounts.unavailableReason(engineDirectory);
                if (reason == null) {
                    log.info("Engine storage driver: overlay (auto: a test mount works), layers in {}",
                            engineDirectory);
                    yield new OverlayDriver(engineDirectory);
                }
                log.info("Engine storage driver: vfs (auto: {}), layers in {}", reason, engineDirectory);
                yield new VfsDriver(engineDirectory);
            }
            default -> throw new IllegalStateException("berth.engine.storage-driver must be overlay, vfs or auto, not \""
                    + storageDriver + "\"");
        };
    }
}
