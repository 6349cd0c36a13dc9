package io.berth.engine.docker;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The storage driver's facts about an image or a container (swagger {@code DriverData}): its name and driver-specific
 * paths ({@code LowerDir}, {@code UpperDir}, {@code Dir}), a free-form map as the API defines it.
 */
public record DriverData(
        @JsonProperty("Data") Map<String, String> data,
        @JsonProperty("Name") String name) {
}
