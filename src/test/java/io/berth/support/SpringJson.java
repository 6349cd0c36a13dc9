package io.berth.support;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * A JSON mapper configured as Spring Boot configures the application's one {@code JsonMapper} bean (dates as ISO
 * text, unknown properties skipped, no default view inclusion), for unit tests of code that is given that bean.
 */
public final class SpringJson {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS, DateTimeFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(MapperFeature.DEFAULT_VIEW_INCLUSION)
            .build();

    private SpringJson() {
    }

    public static JsonMapper mapper() {
        return MAPPER;
    }
}
