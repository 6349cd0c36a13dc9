package io.berth.engine.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.json.JsonMapper;

import io.berth.common.error.BerthException;
import io.berth.support.SpringJson;

class EventQueryTest {

    private static final JsonMapper JSON = SpringJson.mapper();

    private static final EngineEvent START = new EngineEvent("container", "start", "abc123",
            Map.of("name", "web", "image", "busybox", "tier", "front"), 1L);
    private static final EngineEvent PULL = new EngineEvent("image", "pull", "busybox:latest",
            Map.of("name", "busybox:latest"), 2L);

    @Test
    void timesAreUnixSecondsWithFractionsOrRfc3339() {
        assertThat(EventQuery.parse(JSON, "1700000000.5", "1700000001", null).sinceNano()).isEqualTo(1_700_000_000_500_000_000L);
        assertThat(EventQuery.parse(JSON, null, "1700000001", null).untilNano()).isEqualTo(1_700_000_001_000_000_000L);
        assertThat(EventQuery.parse(JSON, "2023-11-14T22:13:20Z", null, null).sinceNano()).isEqualTo(1_700_000_000_000_000_000L);
        assertThatThrownBy(() -> EventQuery.parse(JSON, "soon", null, null)).isInstanceOf(BerthException.class)
                .hasMessage("invalid value for since: soon");
    }

    @Test
    void filtersInBothForms() {
        assertThat(EventQuery.parse(JSON, null, null, "{\"type\":{\"image\":true}}").filter()).accepts(PULL).rejects(START);
        assertThat(EventQuery.parse(JSON, null, null, "{\"type\":[\"container\"]}").filter()).accepts(START).rejects(PULL);
        assertThat(EventQuery.parse(JSON, null, null, null).filter()).accepts(START, PULL);
    }

    @Test
    void filtersCombine() {
        assertThat(EventQuery.parse(JSON, null, null, "{\"type\":[\"container\"],\"event\":[\"start\",\"die\"]}").filter())
                .accepts(START).rejects(PULL);
        assertThat(EventQuery.parse(JSON, null, null, "{\"container\":[\"web\"]}").filter()).accepts(START).rejects(PULL);
        assertThat(EventQuery.parse(JSON, null, null, "{\"container\":[\"abc\"]}").filter()).accepts(START);
        assertThat(EventQuery.parse(JSON, null, null, "{\"image\":[\"busybox\"]}").filter()).accepts(START);
        assertThat(EventQuery.parse(JSON, null, null, "{\"label\":[\"tier=front\"]}").filter()).accepts(START).rejects(PULL);
        assertThat(EventQuery.parse(JSON, null, null, "{\"label\":[\"tier=back\"]}").filter()).rejects(START);
    }

    @Test
    void unknownOrMalformedFiltersAreRefused() {
        assertThatThrownBy(() -> EventQuery.parse(JSON, null, null, "{\"colour\":[\"red\"]}"))
                .isInstanceOf(BerthException.class).hasMessage("invalid filter 'colour'");
        assertThatThrownBy(() -> EventQuery.parse(JSON, null, null, "not json")).isInstanceOf(BerthException.class);
        assertThatThrownBy(() -> EventQuery.parse(JSON, null, null, "{\"type\":\"image\"}")).isInstanceOf(BerthException.class);
    }
}
