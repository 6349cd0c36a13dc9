package io.berth.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

import io.berth.common.Digest;
import io.berth.common.error.BerthException;
import io.berth.common.error.ErrorKind;

class ImageReferenceTest {

    private static final String HEX = "5066e082d321f6485abf440c7d8800822e28ef4031f99f81e56e25988029ea7f";

    @Test
    void aBareNameIsAnOfficialImageOnDockerHub() {
        ImageReference ref = ImageReference.parse("busybox");
        assertThat(ref).isEqualTo(new ImageReference("docker.io", "library/busybox", null, null));
        assertThat(ref.withDefaultTag().canonical()).isEqualTo("docker.io/library/busybox:latest");
        assertThat(ref.withDefaultTag().familiar()).isEqualTo("busybox:latest");
        assertThat(ref.registryHost()).isEqualTo("registry-1.docker.io");
    }

    @Test
    void aUserRepositoryStaysOnDockerHubWithoutLibrary() {
        ImageReference ref = ImageReference.parse("grafana/grafana:10");
        assertThat(ref.name()).isEqualTo("docker.io/grafana/grafana");
        assertThat(ref.tag()).isEqualTo("10");
        assertThat(ref.familiar()).isEqualTo("grafana/grafana:10");
        assertThat(ImageReference.parse("docker.io/library/busybox:1").familiar()).isEqualTo("busybox:1");
        assertThat(ImageReference.parse("index.docker.io/library/busybox").name()).isEqualTo("docker.io/library/busybox");
    }

    @Test
    void theFirstComponentIsARegistryWhenItHasADotOrAPortOrIsLocalhost() {
        ImageReference withPort = ImageReference.parse("localhost:5000/a/b:1");
        assertThat(withPort).isEqualTo(new ImageReference("localhost:5000", "a/b", "1", null));
        assertThat(withPort.familiar()).isEqualTo("localhost:5000/a/b:1");
        assertThat(ImageReference.parse("localhost/app").domain()).isEqualTo("localhost");
        assertThat(ImageReference.parse("ghcr.io/owner/app").domain()).isEqualTo("ghcr.io");
        assertThat(ImageReference.parse("127.0.0.1:5055/bench/busybox:1").path()).isEqualTo("bench/busybox");
        // No dot, no port, not localhost: a Docker Hub namespace.
        assertThat(ImageReference.parse("acme/app").name()).isEqualTo("docker.io/acme/app");
    }

    @Test
    void digestsAndTagsTogether() {
        ImageReference byDigest = ImageReference.parse("host.example/a@sha256:" + HEX);
        assertThat(byDigest.domain()).isEqualTo("host.example");
        assertThat(byDigest.path()).isEqualTo("a");
        assertThat(byDigest.tag()).isNull();
        assertThat(byDigest.digest()).isEqualTo(Digest.parse("sha256:" + HEX));
        assertThat(byDigest.withDefaultTag()).isEqualTo(byDigest);

        ImageReference both = ImageReference.parse("busybox:1.36@sha256:" + HEX);
        assertThat(both.tag()).isEqualTo("1.36");
        assertThat(both.digest().hex()).isEqualTo(HEX);
        assertThat(both.canonical()).isEqualTo("docker.io/library/busybox:1.36@sha256:" + HEX);
    }

    @Test
    void invalidReferencesAreRefusedWithAReason() {
        assertInvalid("BusyBox").hasMessageContaining("must be lowercase");
        assertInvalid("");
        assertInvalid("a@sha256:abc");
        assertInvalid("a//b");
        assertInvalid("busybox:-x");
        assertInvalid("a b");
        assertThat(ImageReference.isValid("70ef7c388532")).isTrue();
    }

    @Test
    void loopbackRegistriesAreRecognisedByLiteralAddressOnly() {
        assertThat(RegistryClient.isLoopback("localhost:5000")).isTrue();
        assertThat(RegistryClient.isLoopback("127.0.0.1:5055")).isTrue();
        assertThat(RegistryClient.isLoopback("127.1.2.3")).isTrue();
        assertThat(RegistryClient.isLoopback("[::1]:5000")).isTrue();
        assertThat(RegistryClient.isLoopback("10.0.0.1:5000")).isFalse();
        assertThat(RegistryClient.isLoopback("registry.example:5000")).isFalse();
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertInvalid(String reference) {
        return assertThatThrownBy(() -> ImageReference.parse(reference))
                .isInstanceOfSatisfying(BerthException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID));
    }
}
