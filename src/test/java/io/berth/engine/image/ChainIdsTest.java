package io.berth.engine.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.berth.common.Digest;

class ChainIdsTest {

    private static final Digest A = Digest.sha256("a".getBytes(StandardCharsets.UTF_8));
    private static final Digest B = Digest.sha256("b".getBytes(StandardCharsets.UTF_8));
    private static final Digest C = Digest.sha256("c".getBytes(StandardCharsets.UTF_8));

    @Test
    void theBaseLayersChainIdIsItsDiffId() {
        assertThat(ChainIds.of(List.of(A))).containsExactly(A);
        assertThat(ChainIds.of(List.of())).isEmpty();
    }

    @Test
    void eachFurtherChainIdHashesTheParentChainIdASpaceAndTheDiffId() {
        List<Digest> chain = ChainIds.of(List.of(A, B, C));
        Digest ab = Digest.sha256((A + " " + B).getBytes(StandardCharsets.UTF_8));
        Digest abc = Digest.sha256((ab + " " + C).getBytes(StandardCharsets.UTF_8));
        assertThat(chain).containsExactly(A, ab, abc);
    }

    @Test
    void matchesAChainComputedOutsideJava() {
        // printf '%s %s' sha256:3783...cbb sha256:ca97...8bb | sha256sum
        Digest base = Digest.parse("sha256:3783a652c3a6be8f6123ba3916bb3e5d4ec6b6d9b1794d0b9b167bf85faabcbb");
        assertThat(ChainIds.of(List.of(base, A))).containsExactly(base,
                Digest.parse("sha256:d7b1f3e4e19733f6002b12c8aada0b4f666f9f99d5a208e47474b063f1aa181d"));
    }
}
