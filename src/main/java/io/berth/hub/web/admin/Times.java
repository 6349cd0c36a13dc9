package io.berth.hub.web.admin;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.springframework.stereotype.Component;

/**
 * Instants as the administrators' pages show them ({@code ${@times.utc(instant)}}): to the second, in UTC, the zone of
 * the logs they are compared with. The exact instant stays in the {@code datetime} attribute of the {@code <time>}.
 */
@Component("times")
public class Times {

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    public String utc(Instant instant) {
        return instant == null ? "" : SECONDS.format(instant);
    }
}
