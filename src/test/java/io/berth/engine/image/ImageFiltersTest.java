package io.berth.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.berth.engine.api.EngineException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ImageFiltersTest {

    private static final JsonNode LABELS = JsonMapper.builder().build().readTree("{\"team\":\"web\",\"tier\":\"1\"}");

    @Test
    void danglingInBothShapes() {
        assertThat(ImageFilters.parse("{\"dangling\":[\"true\"]}").matches(List.of(), null)).isTrue();
        assertThat(ImageFilters.parse("{\"dangling\":{\"true\":true}}").matches(List.of("a:1"), null)).isFalse();
        assertThat(ImageFilters.parse("{\"dangling\":[\"false\"]}").matches(List.of("a:1"), null)).isTrue();
        assertThatThrownBy(() -> ImageFilters.parse("{\"dangling\":[\"maybe\"]}")).isInstanceOf(EngineException.class);
    }

    @Test
    void referenceIsAGlobOnNameOrNameAndTag() {
        List<String> tags = List.of("localhost:5000/team/busybox:1.36");
        assertThat(ImageFilters.parse("{\"reference\":{\"localhost:5000/team/busybox\":true}}").matches(tags, null))
                .isTrue();
        assertThat(ImageFilters.parse("{\"reference\":[\"localhost:5000/team/*:1.*\"]}").matches(tags, null)).isTrue();
        // A star does not cross a slash, as in docker.
        assertThat(ImageFilters.parse("{\"reference\":[\"localhost:5000/*\"]}").matches(tags, null)).isFalse();
        assertThat(ImageFilters.parse("{\"reference\":[\"busybox\"]}").matches(tags, null)).isFalse();
    }

    @Test
    void labelByKeyOrKeyAndValue() {
        assertThat(ImageFilters.parse("{\"label\":[\"team\"]}").matches(List.of("a:1"), LABELS)).isTrue();
        assertThat(ImageFilters.parse("{\"label\":[\"team=web\",\"tier=1\"]}").matches(List.of("a:1"), LABELS)).isTrue();
        assertThat(ImageFilters.parse("{\"label\":[\"team=db\"]}").matches(List.of("a:1"), LABELS)).isFalse();
        assertThat(ImageFilters.parse("{\"label\":[\"team\"]}").matches(List.of("a:1"), null)).isFalse();
    }

    @Test
    void unknownFiltersAreRefused() {
        assertThatThrownBy(() -> ImageFilters.parse("{\"colour\":[\"red\"]}"))
                .isInstanceOf(EngineException.class).hasMessageContaining("invalid filter 'colour'");
    }
}
