package io.berth.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiVersionTest {

    @Test
    void prefixIsParsedAndStripped() {
        assertThat(ApiVersion.ofPrefix("/v1.44/containers/json")).isEqualTo(new ApiVersion(1, 44));
        assertThat(ApiVersion.ofPrefix("/v1.44")).isEqualTo(new ApiVersion(1, 44));
        assertThat(ApiVersion.stripPrefix("/v1.44/containers/json")).isEqualTo("/containers/json");
        assertThat(ApiVersion.ofPrefix("/v2/")).isNull();
        assertThat(ApiVersion.ofPrefix("/v1.44x/_ping")).isNull();
        assertThat(ApiVersion.ofPrefix("/_ping")).isNull();
        assertThat(ApiVersion.stripPrefix("/_ping")).isEqualTo("/_ping");
    }

    @Test
    void rangeIsOneTwentyFourToOneFortySeven() {
        assertThat(new ApiVersion(1, 24).unsupportedReason()).isNull();
        assertThat(new ApiVersion(1, 44).unsupportedReason()).isNull();
        assertThat(new ApiVersion(1, 47).unsupportedReason()).isNull();
        assertThat(new ApiVersion(1, 48).unsupportedReason())
                .isEqualTo("client version 1.48 is too new. Maximum supported API version is 1.47");
        assertThat(new ApiVersion(2, 0).unsupportedReason()).contains("too new");
        assertThat(new ApiVersion(1, 23).unsupportedReason())
                .startsWith("client version 1.23 is too old. Minimum supported API version is 1.24");
    }
}
