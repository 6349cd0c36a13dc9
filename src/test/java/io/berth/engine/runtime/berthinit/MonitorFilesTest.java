package io.berth.engine.runtime.berthinit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A monitor that exited but waits to be reaped counts as gone; another program on a reused pid is no monitor. */
class MonitorFilesTest {

    @Test
    void onlyALiveBerthInitProcessIsARunningMonitor() {
        assertThat(MonitorFiles.runningMonitor("3479 (berth-init) S 1 3479 3479 0 -1 4194560")).isTrue();
        assertThat(MonitorFiles.runningMonitor("3479 (berth-init) Z 1 3479 3479 0 -1 4194564 50 0 0 0")).isFalse();
        assertThat(MonitorFiles.runningMonitor("3479 (berth-init) X 1 3479 3479 0 -1")).isFalse();
        assertThat(MonitorFiles.runningMonitor("3479 (bash) S 1 3479 3479 0 -1")).isFalse();
        // the command may hold ") Z" itself: the state follows the last parenthesis
        assertThat(MonitorFiles.runningMonitor("42 (berth-x) Z (b) R 1 42")).isTrue();
        assertThat(MonitorFiles.runningMonitor("garbage")).isFalse();
    }
}
