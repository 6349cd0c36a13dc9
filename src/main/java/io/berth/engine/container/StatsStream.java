package io.berth.engine.container;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.berth.engine.docker.ContainerStats;
import io.berth.engine.runtime.cgroup.CgroupStats;

/**
 * {@code GET /containers/{id}/stats}: cgroup figures in dockerd's shape, once a second while streaming, given to a
 * {@link Sink} from a thread of its own. Without one-shot a single answer still carries the sample of a second before
 * as {@code precpu_stats}, for the CLI's CPU percentage, as dockerd's does.
 */
final class StatsStream {

    private static final Logger log = LoggerFactory.getLogger(StatsStream.class);
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final Duration INTERVAL = Duration.ofSeconds(1);

    /** One look at the container's cgroup; null once it no longer runs. */
    record Sample(CgroupStats stats, long systemNanos, Instant read) {
    }

    /** Where the stats go: the endpoint's response. A method that throws says the client has gone. */
    interface Sink {

        void stats(ContainerStats stats) throws IOException;

        void completed();

        void failed(Throwable error);
    }

    private StatsStream() {
    }

    static void start(ContainerRecord container, Supplier<Sample> sampler, boolean stream, boolean oneShot, int cpus,
            long memTotal, Sink sink) {
        Thread thread = new Thread(() -> {
            try {
                Sample previous = oneShot && !stream ? null : sampler.get();
                if (!oneShot || stream) {
                    Thread.sleep(INTERVAL.toMillis());
                }
                do {
                    Sample current = sampler.get();
                    sink.stats(stats(container, current, previous, cpus, memTotal));
                    if (current == null) {
                        break;
                    }
                    previous = current;
                    if (stream) {
                        Thread.sleep(INTERVAL.toMillis());
                    }
                } while (stream);
                sink.completed();
            } catch (IOException e) {
                log.debug("stats client went away: {}", e.toString());
                sink.failed(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                sink.completed();
            } catch (RuntimeException e) {
                log.warn("stats of container {} failed", container.id(), e);
                sink.failed(e);
            }
        }, "container-stats-" + THREADS.incrementAndGet());
        thread.setDaemon(true);
        thread.start();
    }

    /** dockerd's stats object; all zeros (as dockerd shows them) for a container that does not run. */
    static ContainerStats stats(ContainerRecord container, Sample current, Sample previous, int cpus, long memTotal) {
        CgroupStats stats = current == null ? null : current.stats();
        ContainerStats.PidsStats pids = stats == null ? new ContainerStats.PidsStats(null, null)
                : new ContainerStats.PidsStats(stats.pidsCurrent(), stats.pidsLimit() >= 0 ? stats.pidsLimit() : null);
        ContainerStats.MemoryStats memory = stats == null ? new ContainerStats.MemoryStats(null, null, null)
                : new ContainerStats.MemoryStats(stats.memoryUsage(),
                        Map.of("cache", stats.memoryCache(), "total_cache", stats.memoryCache()),
                        stats.memoryLimit() < 0 ? memTotal : Math.min(stats.memoryLimit(), memTotal));
        return new ContainerStats(time(current), time(previous), pids, ContainerStats.BlkioStats.NONE, 0, Map.of(),
                cpu(current, cpus), cpu(previous, cpus), memory, container.name(), container.id());
    }

    private static String time(Sample sample) {
        return sample == null ? ContainerViews.ZERO_TIME : DateTimeFormatter.ISO_INSTANT.format(sample.read());
    }

    private static ContainerStats.CpuStats cpu(Sample sample, int cpus) {
        return new ContainerStats.CpuStats(
                new ContainerStats.CpuUsage(sample == null ? 0 : sample.stats().cpuUsageNanos(), 0, 0),
                sample == null ? null : sample.systemNanos(), sample == null ? null : cpus,
                ContainerStats.ThrottlingData.NONE);
    }
}
