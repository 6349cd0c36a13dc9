package io.berth.hub.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Byte ranges of blob reads and content ranges of chunk uploads. */
class RangesTest {

    @Test
    void byteRangesResolveAgainstTheBlobSize() {
        assertThat(ByteRange.of(null, 2048)).isEqualTo(new ByteRange(0, 2048, false));
        assertThat(ByteRange.of("bytes=500-1499", 2048)).isEqualTo(new ByteRange(500, 1000, true));
        assertThat(ByteRange.of("bytes=500-", 2048)).isEqualTo(new ByteRange(500, 1548, true));
        assertThat(ByteRange.of("bytes=-500", 2048)).isEqualTo(new ByteRange(1548, 500, true));
        assertThat(ByteRange.of("bytes=2000-5000", 2048)).isEqualTo(new ByteRange(2000, 48, true));
        assertThat(ByteRange.of("bytes=0-1,5-6", 2048)).as("several ranges: whole blob").isEqualTo(new ByteRange(0, 2048, false));
        assertThat(ByteRange.of("bytes=500-1499", 2048).contentRange(2048)).isEqualTo("bytes 500-1499/2048");
        assertThat(ByteRange.of("bytes=500-0", 2048)).as("last before first: invalid, so ignored")
                .isEqualTo(new ByteRange(0, 2048, false));
        assertThat(ByteRange.of("items=0-1", 2048)).as("another unit: ignored").isEqualTo(new ByteRange(0, 2048, false));
        assertThat(ByteRange.of("bytes=10-99999999999999999999", 2048)).as("a last byte past any size: to the end")
                .isEqualTo(new ByteRange(10, 2038, true));
        assertThat(ByteRange.of("bytes=-99999999999999999999", 2048)).as("a suffix longer than the blob: all of it")
                .isEqualTo(new ByteRange(0, 2048, true));
        assertThat(ByteRange.of("bytes=-5000", 2048)).isEqualTo(new ByteRange(0, 2048, true));
        assertThatThrownBy(() -> ByteRange.of("bytes=2048-", 2048)).isInstanceOf(ByteRange.NotSatisfiable.class);
        assertThatThrownBy(() -> ByteRange.of("bytes=-0", 2048)).isInstanceOf(ByteRange.NotSatisfiable.class);
        assertThatThrownBy(() -> ByteRange.of("bytes=5000-10000", 2048)).isInstanceOf(ByteRange.NotSatisfiable.class);
        assertThatThrownBy(() -> ByteRange.of("bytes=0-", 0)).isInstanceOf(ByteRange.NotSatisfiable.class);
        assertThatThrownBy(() -> ByteRange.of("bytes=99999999999999999999-", 10)).isInstanceOf(ByteRange.NotSatisfiable.class);
    }

    @Test
    void contentRangesAreInclusive() {
        assertThat(ContentRange.parse("0-21")).isEqualTo(new ContentRange(0, 21));
        assertThat(ContentRange.parse("22-41").length()).isEqualTo(20);
        assertThat(ContentRange.parse("bytes 0-9/10")).isEqualTo(new ContentRange(0, 9));
        assertThatThrownBy(() -> ContentRange.parse("9-0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ContentRange.parse("banana")).isInstanceOf(IllegalArgumentException.class);
    }
}
