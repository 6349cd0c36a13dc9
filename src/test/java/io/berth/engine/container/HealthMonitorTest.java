package io.berth.engine.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.berth.engine.docker.Health;
import io.berth.engine.runtime.ExecProcess;
import io.berth.engine.runtime.StdioConnection;

/** The health of a container from its checks' exit codes, as dockerd keeps it; the checks are fakes here. */
class HealthMonitorTest {

    private static final String ID = "h".repeat(64);

    @Test
    void startingThenUnhealthyAfterTheRetriesThenHealthyAgain() throws Exception {
        BlockingQueue<Integer> exitCodes = new LinkedBlockingQueue<>(List.of(1, 1, 0));
        BlockingQueue<String> changes = new LinkedBlockingQueue<>();
        // after the three results, the check keeps passing
        HealthMonitor monitor = new HealthMonitor((handle, execId, command) -> check(exitCodes.isEmpty() ? 0
                : exitCodes.poll()),
                (id, status) -> changes.add(id + " " + status));
        try {
            monitor.started(ID, new HealthCheck(List.of("test", "-f", "/ok"), Duration.ofMillis(20),
                    Duration.ofSeconds(10), Duration.ZERO, 2), null);
            assertThat(monitor.status(ID)).isEqualTo("starting");

            assertThat(changes.poll(30, TimeUnit.SECONDS)).isEqualTo(ID + " unhealthy");
            assertThat(changes.poll(30, TimeUnit.SECONDS)).isEqualTo(ID + " healthy");
            monitor.stopped(ID);
            Health health = monitor.inspect(ID);
            assertThat(health.status()).isEqualTo("healthy");
            assertThat(health.failingStreak()).isZero();
            assertThat(health.log()).extracting(Health.HealthcheckResult::exitCode).startsWith(1, 1, 0);
            assertThat(health.log().get(0).output()).isEqualTo("exit 1\n");
        } finally {
            monitor.shutdown();
        }
        monitor.removed(ID);
        assertThat(monitor.inspect(ID)).isNull();
        assertThat(monitor.status(ID)).isNull();
    }

    /** A check's process that prints "exit N" on stdout and ends with N. */
    private static ExecProcess check(int exitCode) {
        byte[] output = StreamFrames.frame(StreamFrames.STDOUT, ("exit " + exitCode + "\n")
                .getBytes(StandardCharsets.UTF_8));
        InputStream frames = new ByteArrayInputStream(output);
        return new ExecProcess() {
            @Override
            public StdioConnection attach() {
                return new StdioConnection() {
                    @Override
                    public InputStream output() {
                        return frames;
                    }

                    @Override
                    public void writeStdin(byte[] data, int offset, int length) {
                    }

                    @Override
                    public void closeStdin() {
                    }

                    @Override
                    public void resize(int rows, int columns) {
                    }

                    @Override
                    public void close() {
                    }
                };
            }

            @Override
            public void start() {
            }

            @Override
            public int pid() {
                return 1;
            }

            @Override
            public Integer awaitExit(Duration timeout) {
                return exitCode;
            }

            @Override
            public void kill(int signal) {
            }
        };
    }
}
