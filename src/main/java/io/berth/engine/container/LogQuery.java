package io.berth.engine.container;

import static io.berth.common.error.ErrorKind.INVALID;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import io.berth.common.error.BerthException;


/**
 * What {@code GET /containers/{id}/logs} asks for.
 *
 * @param tail  the last lines to show, or -1 for all
 * @param since only lines at or after this time, or null
 * @param until only lines before this time, or null
 */
record LogQuery(boolean stdout, boolean stderr, boolean follow, boolean timestamps, int tail, Instant since,
        Instant until) {

    static LogQuery of(boolean stdout, boolean stderr, boolean follow, boolean timestamps, String tail, String since,
            String until) {
        if (!stdout && !stderr) {
            throw new BerthException(INVALID, "Bad parameters: you must choose at least one stream");
        }
        int lines = -1;
        if (tail != null && !tail.isEmpty() && !tail.equals("all")) {
            try {
                lines = Integer.parseInt(tail);
            } catch (NumberFormatException e) {
                lines = -1; // dockerd shows everything for a tail it cannot read
            }
        }
        return new LogQuery(stdout, stderr, follow, timestamps, lines < 0 ? -1 : lines, time(since, "since"),
                time(until, "until"));
    }

    /** Unix seconds with an optional fraction, as the CLI sends them, or an RFC 3339 time; 0 or empty for none. */
    static Instant time(String value, String name) {
        if (value == null || value.isEmpty() || value.equals("0")) {
            return null;
        }
        try {
            BigDecimal seconds = new BigDecimal(value);
            long whole = seconds.longValue();
            long nanos = seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).longValue();
            return Instant.ofEpochSecond(whole, nanos);
        } catch (NumberFormatException e) {
            try {
                return OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeParseException e2) {
                throw new BerthException(INVALID, "invalid value for " + name + ": " + value);
            }
        }
    }

    boolean accepts(LogEntry entry) {
        if (entry.stderr() ? !stderr : !stdout) {
            return false;
        }
        if (since != null && entry.time().isBefore(since)) {
            return false;
        }
        return until == null || entry.time().isBefore(until);
    }
}
