package io.berth.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.berth.common.error.BerthException;
import io.berth.common.error.ErrorKind;
import tools.jackson.databind.json.JsonMapper;

class ImageFiltersTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Map<String, String> LABELS = Map.of("team", "web", "tier", "1");
    private static final String DIGEST = "sha256:" + "a".repeat(64);

    @Test
    void danglingInBothShapes() {
        assertThat(select("{\"dangling\":[\"true\"]}")).isPresent();
        assertThat(select("{\"dangling\":{\"true\":true}}", "a:1")).isEmpty();
        assertThat(select("{\"dangling\":[\"false\"]}", "a:1")).isPresent();
        assertThat(select("{\"dangling\":[\"false\"]}")).isEmpty();
        assertInvalid("{\"dangling\":[\"maybe\"]}", "invalid filter 'dangling=maybe'");
    }

    @Test
    void anImageKnownOnlyByDigestIsDanglingYetListedAsDockerdListsIt() {
        assertThat(select("{\"dangling\":[\"true\"]}", "a@" + DIGEST)).hasValue(refs("a@" + DIGEST));
        assertThat(select("{\"dangling\":[\"false\"]}", "a@" + DIGEST)).hasValue(refs("a@" + DIGEST));
    }

    @Test
    void referenceIsAGlobOnNameOrNameAndTag() {
        String tag = "localhost:5000/team/busybox:1.36";
        assertThat(select("{\"reference\":{\"localhost:5000/team/busybox\":true}}", tag)).isPresent();
        assertThat(select("{\"reference\":[\"localhost:5000/team/*:1.*\"]}", tag)).isPresent();
        // A star does not cross a slash, as in docker.
        assertThat(select("{\"reference\":[\"localhost:5000/*\"]}", tag)).isEmpty();
        assertThat(select("{\"reference\":[\"busybox\"]}", tag)).isEmpty();
    }

    @Test
    void referenceKeepsOnlyTheMatchingNamesOfAnImage() {
        String[] names = {"localhost:5000/team/busybox:1.36", "localhost:5000/team/busybox@" + DIGEST, "copy:2"};
        assertThat(select("{\"reference\":[\"localhost:5000/team/busybox\"]}", names))
                .hasValue(refs("localhost:5000/team/busybox:1.36", "localhost:5000/team/busybox@" + DIGEST));
        assertThat(select("{\"reference\":[\"copy\"]}", names)).hasValue(refs("copy:2"));
        assertThat(select("{\"reference\":[\"copy:3\"]}", names)).isEmpty();
        assertThat(select("{}", names)).hasValue(refs(names));
    }

    @Test
    void labelByKeyOrKeyAndValue() {
        ImageFilters key = ImageFilters.parse("{\"label\":[\"team\"]}", JSON);
        assertThat(key.select(refs("a:1"), LABELS)).isPresent();
        assertThat(ImageFilters.parse("{\"label\":[\"team=web\",\"tier=1\"]}", JSON).select(refs("a:1"), LABELS))
                .isPresent();
        assertThat(ImageFilters.parse("{\"label\":[\"team=db\"]}", JSON).select(refs("a:1"), LABELS)).isEmpty();
        assertThat(key.select(refs("a:1"), null)).isEmpty();
    }

    @Test
    void unknownFiltersAreRefused() {
        assertInvalid("{\"colour\":[\"red\"]}", "invalid filter 'colour'");
        assertInvalid("{\"reference\":", "invalid filters");
    }

    @Test
    void pruneTakesDanglingOnly() {
        assertThat(ImageFilters.prunesTaggedImages(null, JSON)).isFalse();
        assertThat(ImageFilters.prunesTaggedImages("{\"dangling\":[\"true\"]}", JSON)).isFalse();
        assertThat(ImageFilters.prunesTaggedImages("{\"dangling\":[\"false\"]}", JSON)).isTrue();
        assertThat(ImageFilters.prunesTaggedImages("{\"dangling\":{\"0\":true}}", JSON)).isTrue();
        assertThatThrownBy(() -> ImageFilters.prunesTaggedImages("{\"label\":[\"a\"]}", JSON))
                .isInstanceOfSatisfying(BerthException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID))
                .hasMessage("invalid filter 'label'");
    }

    private static Optional<List<ImageReference>> select(String filters, String... references) {
        return ImageFilters.parse(filters, JSON).select(refs(references), null);
    }

    private static List<ImageReference> refs(String... references) {
        return List.of(references).stream().map(ImageReference::parse).toList();
    }

    private static void assertInvalid(String filters, String message) {
        assertThatThrownBy(() -> ImageFilters.parse(filters, JSON))
                .isInstanceOfSatisfying(BerthException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID))
                .hasMessageContaining(message);
    }
}
