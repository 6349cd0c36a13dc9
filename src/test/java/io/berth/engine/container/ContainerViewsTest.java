package io.berth.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.json.JsonMapper;

import io.berth.engine.docker.ContainerConfig;
import io.berth.engine.docker.HostConfig;
import io.berth.support.SpringJson;

class ContainerViewsTest {

    private static final JsonMapper JSON = SpringJson.mapper();

    @Test
    void statusAsDockerPsShowsIt() {
        Instant now = Instant.parse("2026-11-28T12:00:00Z");
        ContainerState running = ContainerState.created().running(1, now.minusSeconds(2));
        assertThat(ContainerViews.status(running, now)).isEqualTo("Up 2 seconds");
        assertThat(ContainerViews.status(running.paused(true), now)).isEqualTo("Up 2 seconds (Paused)");
        assertThat(ContainerViews.status(running.exited(3, false, now.minusSeconds(300)), now))
                .isEqualTo("Exited (3) 5 minutes ago");
        assertThat(ContainerViews.status(ContainerState.created(), now)).isEqualTo("Created");
        assertThat(ContainerViews.humanDuration(Duration.ofSeconds(90))).isEqualTo("About a minute");
        assertThat(ContainerViews.humanDuration(Duration.ofHours(50))).isEqualTo("2 days");
    }

    @Test
    void commandQuotesWordsWithSpaces() {
        ContainerRecord c = record("sh", List.of("-c", "echo hi"), "{}");
        assertThat(ContainerViews.command(c)).isEqualTo("sh -c 'echo hi'");
    }

    @Test
    void filtersAsDockerdApplies() {
        ContainerRecord web = record("sleep", List.of("1000"), "{\"Labels\":{\"team\":\"berth\",\"tier\":\"web\"}}");
        ContainerFilters byLabel = ContainerFilters.parse(JSON, "{\"label\":[\"team=berth\",\"tier\"]}", name -> null);
        assertThat(byLabel.matches(web)).isTrue();
        assertThat(ContainerFilters.parse(JSON, "{\"label\":{\"team=other\":true}}", name -> null).matches(web)).isFalse();
        assertThat(ContainerFilters.parse(JSON, "{\"name\":[\"^we\"]}", name -> null).matches(web)).isTrue();
        assertThat(ContainerFilters.parse(JSON, "{\"id\":[\"cc\"]}", name -> null).matches(web)).isTrue();
        assertThat(ContainerFilters.parse(JSON, "{\"status\":[\"running\"]}", name -> null).matches(web)).isFalse();
        ContainerFilters ancestor = ContainerFilters.parse(JSON, "{\"ancestor\":[\"other\"]}", name -> "sha256:" + "d".repeat(64));
        assertThat(ancestor.matches(web)).isTrue();
        ContainerFilters exited = ContainerFilters.parse(JSON, "{\"exited\":[\"0\"]}", name -> null);
        assertThat(exited.asksForStopped()).isTrue();
        assertThat(exited.matches(web)).isFalse();
        assertThatThrownBy(() -> ContainerFilters.parse(JSON, "{\"bogus\":[\"x\"]}", name -> null))
                .hasMessage("invalid filter 'bogus'");
        assertThatThrownBy(() -> ContainerFilters.parse(JSON, "{\"status\":[\"sleeping\"]}", name -> null))
                .hasMessage("invalid filter 'status=sleeping'");
    }

    @Test
    void logLinesAndFrames() {
        LogEntry.Parser parser = new LogEntry.Parser(JSON);
        LogEntry entry = parser.parse("{\"log\":\"hi\\n\",\"stream\":\"stderr\",\"time\":\"2026-11-28T08:17:36.9349855Z\"}");
        assertThat(entry.stderr()).isTrue();
        byte[] frame = entry.toWire(true, true);
        assertThat(frame[0]).isEqualTo((byte) 2);
        assertThat(frame[7]).isEqualTo((byte) (frame.length - 8));
        assertThat(new String(frame, 8, frame.length - 8, StandardCharsets.UTF_8))
                .isEqualTo("2026-11-28T08:17:36.934985500Z hi\n");
        assertThat(new String(entry.toWire(false, false), StandardCharsets.UTF_8)).isEqualTo("hi\n");
        assertThat(parser.parse("{\"log\":\"torn")).isNull();

        LogQuery query = LogQuery.of(true, false, false, false, "2", "1795853856.5", null);
        assertThat(query.tail()).isEqualTo(2);
        assertThat(query.since()).isEqualTo(Instant.ofEpochSecond(1795853856, 500_000_000));
        assertThat(query.accepts(entry)).isFalse();
        assertThat(LogQuery.of(true, true, false, false, "all", null, null).tail()).isEqualTo(-1);
    }

    private static ContainerRecord record(String path, List<String> args, String config) {
        return new ContainerRecord("c".repeat(64), "/web", Instant.now(), "sha256:" + "d".repeat(64), "busybox", null,
                path, args, JSON.readValue(config, ContainerConfig.class), HostConfig.empty(), null,
                ContainerState.created(), 0, false, null);
    }
}
