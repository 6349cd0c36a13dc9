package io.berth.engine.build.dockerfile;

import java.time.Duration;
import java.util.List;

/**
 * {@code HEALTHCHECK}'s settings, as they go into an image config's {@code Healthcheck}.
 *
 * @param test      {@code ["NONE"]}, {@code ["CMD", exec...]} or {@code ["CMD-SHELL", command]}
 * @param interval  zero when not given (the daemon's default applies)
 * @param retries   zero when not given
 */
public record HealthcheckConfig(List<String> test, Duration interval, Duration timeout, Duration startPeriod,
        Duration startInterval, int retries) {

    public HealthcheckConfig {
        test = List.copyOf(test);
    }

    public boolean disabled() {
        return test.size() == 1 && test.get(0).equals("NONE");
    }
}
