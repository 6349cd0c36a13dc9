package io.berth.engine.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.nio.charset.StandardCharsets;

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
    }

    @Test
    void humanSizesAreDecimalWithFourSignificantDigits() {
        assertThat(ProgressMessage.humanSize(512)).isEqualTo("512B");
        assertThat(ProgressMessage.humanSize(1000)).isEqualTo("1kB");
        assertThat(ProgressMessage.humanSize(1985593)).isEqualTo("1.986MB");
    }

    @Test
    void registryAuthHeadersDecode() {
        assertThat(RegistryAuth.fromHeader("e30=").anonymous()).isTrue();
        assertThat(RegistryAuth.fromHeader(null).anonymous()).isTrue();
        String header = Base64.getUrlEncoder().encodeToString(
                "{\"username\":\"u\",\"password\":\"p?>\",\"serveraddress\":\"h\"}".getBytes(StandardCharsets.UTF_8));
        RegistryAuth auth = RegistryAuth.fromHeader(header);
        assertThat(auth.username()).isEqualTo("u");
        assertThat(auth.password()).isEqualTo("p?>");
        String token = Base64.getUrlEncoder().encodeToString("{\"identitytoken\":\"t\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(RegistryAuth.fromHeader(token).identityToken()).isEqualTo("t");
    }

    private static String json(ProgressMessage message) {
        return JSON.writeValueAsString(message.toMap());
    }
}
