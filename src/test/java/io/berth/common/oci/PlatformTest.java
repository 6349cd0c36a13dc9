package io.berth.common.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import io.berth.common.error.BerthException;
import io.berth.common.error.ErrorKind;

class PlatformTest {

    @Test
    void aNodeRunsImagesOfItsOsAndArchitecture() {
        Platform amd64 = new Platform("amd64", "linux", null);
        assertThat(amd64.matches(new Platform("amd64", "linux", null))).isTrue();
        assertThat(amd64.matches(new Platform("amd64", "linux", ""))).isTrue();
        assertThat(amd64.matches(new Platform("arm64", "linux", null))).isFalse();
        assertThat(amd64.matches(new Platform("amd64", "windows", null))).isFalse();
        assertThat(amd64.matches(new Platform(null, null, null))).isFalse();
    }

    @Test
    void arm64sV8IsItsDefaultVariant() {
        Platform arm64 = new Platform("arm64", "linux", null);
        assertThat(arm64.matches(new Platform("arm64", "linux", "v8"))).isTrue();
        assertThat(new Platform("arm", "linux", null).matches(new Platform("arm", "linux", "v7"))).isFalse();
        assertThat(new Platform("arm", "linux", "v7").matches(new Platform("arm", "linux", "v7"))).isTrue();
        assertThat(new Platform("arm", "linux", "v7").matches(new Platform("arm", "linux", "v6"))).isFalse();
    }

    @Test
    void writtenAndParsedAsDockersPlatformOption() {
        assertThat(Platform.parse("linux/amd64")).isEqualTo(new Platform("amd64", "linux", null));
        assertThat(Platform.parse("Linux/ARM/v7")).isEqualTo(new Platform("arm", "linux", "v7"));
        assertThat(new Platform("arm", "linux", "v7")).hasToString("linux/arm/v7");
        assertThat(Platform.current().os()).isEqualTo("linux");
        assertThat(Platform.current().architecture()).isIn("amd64", "arm64", System.getProperty("os.arch"));
        for (String invalid : new String[] {"linux", "linux/", "/amd64", "a/b/c/d"}) {
            assertThatThrownBy(() -> Platform.parse(invalid))
                    .isInstanceOfSatisfying(BerthException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID))
                    .hasMessage("invalid platform: " + invalid + " (expected os/arch[/variant])");
        }
    }
}
