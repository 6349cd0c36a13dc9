package io.berth.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class DigestTest {

    @Test
    void parsesAndPrintsBothAlgorithms() {
        byte[] content = "hello world".getBytes(StandardCharsets.UTF_8);
        Digest sha256 = Digest.of(DigestAlgorithm.SHA256, content);
        Digest sha512 = Digest.of(DigestAlgorithm.SHA512, content);
        assertThat(sha256.toString()).isEqualTo("sha256:b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9");
        assertThat(sha512.toString()).startsWith("sha512:309ecc489c12d6eb4cc40f50c902f2b4d0ed77ee511a7c7a9bcd3ca86d4cd86f");
        assertThat(Digest.parse(sha256.toString())).isEqualTo(sha256);
        assertThat(Digest.parse(sha512.toString())).isEqualTo(sha512);
    }

    @Test
    void refusesAnythingThatCouldNotBeAFileName() {
        for (String bad : new String[] {"sha256:xyz", "sha256:" + "A".repeat(64), "sha256:" + "a".repeat(63),
                "md5:" + "a".repeat(32), "sha256", ":abc", "sha256:../../etc/passwd", "sha512:" + "a".repeat(64)}) {
            assertThatThrownBy(() -> Digest.parse(bad)).as(bad).isInstanceOf(InvalidDigestException.class);
        }
    }
}
