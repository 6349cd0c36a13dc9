package io.berth.common.oci;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.json.JsonMapper;

class ImageConfigurationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void readsWhatItNamesOfADockerBuiltConfigAndIgnoresTheRest() {
        ImageConfiguration config = JSON.readValue("""
                {"architecture":"amd64","os":"linux","created":"2024-01-01T00:00:00Z","docker_version":"27.0.1",
                 "container":"3f1e","container_config":{"Cmd":["/bin/sh"]},"os.version":"",
                 "config":{"Env":["PATH=/bin"],"Cmd":["sh"],"Labels":{"team":"web","tier":"1"},"Hostname":""},
                 "rootfs":{"type":"layers","diff_ids":["sha256:%s"]},
                 "history":[{"created":"2024-01-01T00:00:00Z","created_by":"ADD rootfs /"},
                            {"created":"2024-01-01T00:00:01Z","created_by":"CMD [\\"sh\\"]","empty_layer":true}]}
                """.formatted("a".repeat(64)), ImageConfiguration.class);
        assertThat(config.architecture()).isEqualTo("amd64");
        assertThat(config.os()).isEqualTo("linux");
        assertThat(config.variant()).isNull();
        assertThat(config.dockerVersion()).isEqualTo("27.0.1");
        assertThat(config.rootfs().diffIds()).containsExactly("sha256:" + "a".repeat(64));
        assertThat(config.history()).extracting(ImageConfiguration.History::madeNoLayer).containsExactly(false, true);
        assertThat(config.history().get(1).createdBy()).isEqualTo("CMD [\"sh\"]");
        assertThat(config.labels()).containsExactly(Map.entry("team", "web"), Map.entry("tier", "1"));
        // The run defaults stay as the image holds them, fields Berth does not model included.
        assertThat(config.config().toString())
                .isEqualTo("{\"Env\":[\"PATH=/bin\"],\"Cmd\":[\"sh\"],\"Labels\":{\"team\":\"web\",\"tier\":\"1\"},"
                        + "\"Hostname\":\"\"}");
    }

    @Test
    void aConfigWithoutRunDefaultsOrHistoryHasNoLabelsAndNoSteps() {
        ImageConfiguration config = JSON.readValue("{\"architecture\":\"arm64\",\"os\":\"linux\"}",
                ImageConfiguration.class);
        assertThat(config.config()).isNull();
        assertThat(config.labels()).isNull();
        assertThat(config.history()).isEmpty();
        assertThat(config.rootfs()).isNull();
    }

    @Test
    void writtenInTheImageSpecsOrderWithAbsentFieldsLeftOut() {
        ImageConfiguration config = new ImageConfiguration("amd64", null, "linux", "2024-01-01T00:00:00Z", null, null,
                "imported", JSON.createObjectNode().put("User", "berth"),
                new ImageConfiguration.RootFs("layers", List.of("sha256:" + "b".repeat(64))),
                List.of(new ImageConfiguration.History("2024-01-01T00:00:00Z", null, null, "imported", null)));
        assertThat(JSON.writeValueAsString(config)).isEqualTo("{\"architecture\":\"amd64\",\"os\":\"linux\","
                + "\"created\":\"2024-01-01T00:00:00Z\",\"comment\":\"imported\",\"config\":{\"User\":\"berth\"},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:" + "b".repeat(64) + "\"]},"
                + "\"history\":[{\"created\":\"2024-01-01T00:00:00Z\",\"comment\":\"imported\"}]}");
    }
}
