package io.berth.engine.container;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One line of a json-file log: {@code {"log":"hi\n","stream":"stdout","time":"2026-11-28T08:17:36.934985546Z"}}.
 * Public for the readers of {@link ContainerLogs} outside this package (the web UI's node page).
 *
 * @param log the text as the container wrote it, with its newline
 */
public record LogEntry(boolean stderr, String log, Instant time) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Go's RFC3339Nano with all nine digits, as {@code docker logs -t} prints it. */
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    /** The entry of one log line; null for a line that is no entry (a torn last line after a crash). */
    static LogEntry parse(String line) {
        if (line.isBlank()) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(line);
            JsonNode log = node.get("log");
            JsonNode time = node.get("time");
            if (log == null || time == null) {
                return null;
            }
            JsonNode stream = node.get("stream");
            return new LogEntry(stream != null && "stderr".equals(stream.asString()), log.asString(),
                    Instant.parse(time.asString()));
        } catch (JacksonException | java.time.DateTimeException e) {
            return null;
        }
    }

    /** The entry as the logs endpoint sends it: a multiplexed frame, or the bare text for a TTY. */
    byte[] toWire(boolean multiplexed, boolean timestamps) {
        String text = timestamps ? TIMESTAMP.format(time) + " " + log : log;
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        return multiplexed ? StreamFrames.frame(stderr ? 2 : 1, payload) : payload;
    }
}
