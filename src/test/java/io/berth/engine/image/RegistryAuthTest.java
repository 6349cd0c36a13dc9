package io.berth.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import io.berth.common.error.BerthException;
import io.berth.common.error.ErrorKind;
import tools.jackson.databind.json.JsonMapper;

class RegistryAuthTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void registryAuthHeadersDecode() {
        assertThat(RegistryAuth.fromHeader("e30=", JSON).anonymous()).isTrue();
        assertThat(RegistryAuth.fromHeader(null, JSON).anonymous()).isTrue();
        String header = Base64.getUrlEncoder().encodeToString(
                "{\"username\":\"u\",\"password\":\"p?>\",\"serveraddress\":\"h\"}".getBytes(StandardCharsets.UTF_8));
        RegistryAuth auth = RegistryAuth.fromHeader(header, JSON);
        assertThat(auth.username()).isEqualTo("u");
        assertThat(auth.password()).isEqualTo("p?>");
        String token = Base64.getUrlEncoder().encodeToString("{\"identitytoken\":\"t\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(RegistryAuth.fromHeader(token, JSON).identityToken()).isEqualTo("t");
    }

    @Test
    void fieldsClientsAddAreIgnoredAndGarbageIsRefused() {
        String header = Base64.getUrlEncoder().encodeToString(
                "{\"username\":\"u\",\"password\":\"p\",\"auth\":\"dTpw\",\"email\":\"\",\"registrytoken\":\"\"}"
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(RegistryAuth.fromHeader(header, JSON)).isEqualTo(new RegistryAuth("u", "p", null));
        assertThatThrownBy(() -> RegistryAuth.fromHeader("not base64!", JSON))
                .isInstanceOfSatisfying(BerthException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID))
                .hasMessageStartingWith("invalid X-Registry-Auth header");
    }
}
