package io.berth.engine.container;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * One line of a json-file log: {@code {"log":"hi\n","stream":"stdout","time":"2026-11-28T08:17:36.934985546Z"}}.
 * Public for the readers of {@link ContainerLogs} outside this package (the web UI's node page).
 *
 * @param log the text as the container wrote it, with its newline
 */
public record LogEntry(boolean stderr, String log, Instant time) {

    /** Go's RFC3339Nano with all nine digits, as {@code docker logs -t} prints it. */
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    /** A json-file line as the monitor writes it. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    private record Line(String log, String stream, String time) {
    }

    /** Reads the lines of json-file logs. */
    static final class Parser {

        private final JsonMapper json;

        Parser(JsonMapper json) {
            this.json = json;
        }

        /** The entry of one log line; null for a line that is no entry (a torn last line after a crash). */
        LogEntry parse(String line) {
            if (line.isBlank()) {
                return null;
            }
            try {
                Line parsed = json.readValue(line, Line.class);
                if (parsed == null || parsed.log() == null || parsed.time() == null) {
                    return null;
                }
                return new LogEntry("stderr".equals(parsed.stream()), parsed.log(), Instant.parse(parsed.time()));
            } catch (JacksonException | DateTimeException e) {
                return null;
            }
        }
    }

    /** The entry as the logs endpoint sends it: a multiplexed frame, or the bare text for a TTY. */
    byte[] toWire(boolean multiplexed, boolean timestamps) {
        String text = timestamps ? TIMESTAMP.format(time) + " " + log : log;
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        return multiplexed ? StreamFrames.frame(stderr ? 2 : 1, payload) : payload;
    }
}
