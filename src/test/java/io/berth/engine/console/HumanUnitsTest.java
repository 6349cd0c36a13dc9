package io.berth.engine.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The node page's sizes and spans of time. */
class HumanUnitsTest {

    @Test
    void sizesInDecimalUnitsWithThreeDigits() {
        assertThat(HumanUnits.size(512)).isEqualTo("512 B");
        assertThat(HumanUnits.size(4_260_000)).isEqualTo("4.26 MB");
        assertThat(HumanUnits.size(1_000)).isEqualTo("1 kB");
        assertThat(HumanUnits.size(999_999)).isEqualTo("1000 kB");
        assertThat(HumanUnits.size(12_345_678_901L)).isEqualTo("12.3 GB");
    }

    @Test
    void spansInTheLargestWholeUnit() {
        assertThat(HumanUnits.span(Duration.ofSeconds(59))).isEqualTo("less than a minute");
        assertThat(HumanUnits.span(Duration.ofSeconds(61))).isEqualTo("1 minute");
        assertThat(HumanUnits.span(Duration.ofMinutes(59))).isEqualTo("59 minutes");
        assertThat(HumanUnits.span(Duration.ofHours(47))).isEqualTo("47 hours");
        assertThat(HumanUnits.span(Duration.ofDays(3))).isEqualTo("3 days");
        assertThat(HumanUnits.span(Duration.ofSeconds(-5))).as("clock skew").isEqualTo("less than a minute");
    }
}
