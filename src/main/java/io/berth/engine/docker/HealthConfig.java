package io.berth.engine.docker;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonFormat;

/**
 * Config.Healthcheck (swagger {@code HealthConfig}): the test ({@code ["CMD", ...]}, {@code ["CMD-SHELL", "..."]},
 * {@code ["NONE"]}) and its timing in nanoseconds; 0 means Docker's default.
 */
@DockerJson
public record HealthConfig(
        @OmitEmpty @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> test,
        @ZeroWhenNull @OmitEmpty long interval,
        @ZeroWhenNull @OmitEmpty long timeout,
        @ZeroWhenNull @OmitEmpty long startPeriod,
        @ZeroWhenNull @OmitEmpty long startInterval,
        @ZeroWhenNull @OmitEmpty int retries) {

    public HealthConfig {
        test = Copies.list(test);
    }
}
