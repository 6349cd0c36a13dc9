package io.berth.engine.api;

import java.nio.file.Path;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

import io.berth.engine.EngineProperties;
import io.berth.engine.OnEngine;

/**
 * Actuator's {@code engine} health: UP while the Engine API answers on its socket and a storage driver is ready.
 * Where the Engine is off (disabled, not Linux, not root) there is no indicator: a Hub-only node is healthy, and the
 * startup log says why the Engine is off ({@link EngineStartupLog}).
 */
@Component("engine")
@OnEngine
class EngineHealthIndicator implements HealthIndicator {

    private final Path socket;
    private final SystemInfo system;

    EngineHealthIndicator(EngineProperties engine, SystemInfo system) {
        this.socket = engine.socket().toAbsolutePath();
        this.system = system;
    }

    @Override
    public Health health() {
        String driver = system.driver();
        Health.Builder health = Health.up();
        if (!EngineSocket.isLive(socket)) {
            health = Health.down().withDetail("reason", "nothing answers on the Engine socket " + socket);
        } else if (driver.isEmpty()) {
            health = Health.down().withDetail("reason", "no storage driver is ready");
        }
        return health
                .withDetail("socket", socket.toString())
                .withDetail("storageDriver", driver)
                .withDetail("cgroupVersion", system.host().cgroupVersion())
                .build();
    }
}
