package io.berth.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class StartupTimelineTest {

    private static final String[] NO_ARGS = {};

    @Test
    void offUnlessAsked() {
        assertThat(StartupTimeline.requested(new String[] {"--server.port=5000"}, Map.of(), null)).isFalse();
    }

    @Test
    void theCommandLineAsks() {
        assertThat(StartupTimeline.requested(new String[] {"--berth.ops.startup-timeline=true"}, Map.of(), null))
                .isTrue();
        assertThat(StartupTimeline.requested(new String[] {"--berth.ops.startup-timeline=false"}, Map.of(), null))
                .isFalse();
    }

    @Test
    void theEnvironmentOrASystemPropertyAsks() {
        assertThat(StartupTimeline.requested(NO_ARGS, Map.of("BERTH_OPS_STARTUP_TIMELINE", "true"), null)).isTrue();
        assertThat(StartupTimeline.requested(NO_ARGS, Map.of(), "true")).isTrue();
    }

    @Test
    void theCommandLineWins() {
        assertThat(StartupTimeline.requested(new String[] {"--berth.ops.startup-timeline=false"},
                Map.of("BERTH_OPS_STARTUP_TIMELINE", "true"), "true")).isFalse();
    }
}
