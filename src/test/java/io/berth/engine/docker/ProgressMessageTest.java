package io.berth.engine.docker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.json.JsonMapper;

class ProgressMessageTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void linesAreShapedAsTheCapturedDockerdPull() {
        assertThat(json(ProgressMessage.status("Pulling from bench/busybox", "1")))
                .isEqualTo("{\"status\":\"Pulling from bench/busybox\",\"id\":\"1\"}");
        assertThat(json(ProgressMessage.layer("Pulling fs layer", "6454c4454d56")))
                .isEqualTo("{\"status\":\"Pulling fs layer\",\"progressDetail\":{},\"id\":\"6454c4454d56\"}");
        assertThat(json(ProgressMessage.layer("Downloading", "6454c4454d56", 32768, 1069913))).isEqualTo(
                "{\"status\":\"Downloading\",\"progressDetail\":{\"current\":32768,\"total\":1069913},"
                        + "\"progress\":\"[=>                                                 ]  32.77kB/1.07MB\","
                        + "\"id\":\"6454c4454d56\"}");
        assertThat(ProgressMessage.bar(1069913, 1069913))
                .isEqualTo("[==================================================>]   1.07MB/1.07MB");
        assertThat(ProgressMessage.bar(65536, 1069913))
                .isEqualTo("[===>                                               ]  65.54kB/1.07MB");
        assertThat(json(ProgressMessage.error("boom"))).isEqualTo("{\"errorDetail\":{\"message\":\"boom\"},\"error\":\"boom\"}");
        assertThat(json(ProgressMessage.status("Status: Image is up to date for busybox:latest")))
                .isEqualTo("{\"status\":\"Status: Image is up to date for busybox:latest\"}");
        assertThat(json(ProgressMessage.pushed("1", "sha256:abc", 527)))
                .isEqualTo("{\"progressDetail\":{},\"aux\":{\"Tag\":\"1\",\"Digest\":\"sha256:abc\",\"Size\":527}}");
    }

    @Test
    void humanSizesAreDecimalWithFourSignificantDigits() {
        assertThat(ProgressMessage.humanSize(512)).isEqualTo("512B");
        assertThat(ProgressMessage.humanSize(1000)).isEqualTo("1kB");
        assertThat(ProgressMessage.humanSize(1985593)).isEqualTo("1.986MB");
    }

    private static String json(ProgressMessage message) {
        return JSON.writeValueAsString(message);
    }
}
