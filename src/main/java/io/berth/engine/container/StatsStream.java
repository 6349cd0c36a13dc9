package io.berth.engine.container;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;

import io.berth.engine.runtime.cgroup.CgroupStats;

/**
 * {@code GET /containers/{id}/stats}: cgroup figures in dockerd's JSON, one object a line, once a second while
 * streaming. Without one-shot a single answer still carries the sample of a second before as {@code precpu_stats},
 * for the CLI's CPU percentage, as dockerd's does.
 */
final class StatsStream {

    private static final Logger log = LoggerFactory.getLogger(StatsStream.class);
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final Duration INTERVAL = Duration.ofSeconds(1);

    /** One look at the container's cgroup; null once it no longer runs. */
    record Sample(CgroupStats stats, long systemNanos, Instant read) {
    }

    private StatsStream() {
    }

    static ResponseBodyEmitter start(ContainerRecord container, Supplier<Sample> sampler, boolean stream,
            boolean oneShot, int cpus, long memTotal) throws IOException {
        ResponseBodyEmitter emitter = new ResponseBodyEmitter(0L);
        emitter.send(new byte[0], MediaType.APPLICATION_JSON);
        Thread thread = new Thread(() -> {
            try {
                Sample previous = oneShot && !stream ? null : sampler.get();
                if (!oneShot || stream) {
                    Thread.sleep(INTERVAL.toMillis());
                }
                do {
                    Sample current = sampler.get();
                    send(emitter, json(container, current, previous, cpus, memTotal));
                    if (current == null) {
                        break;
                    }
                    previous = current;
                    if (stream) {
                        Thread.sleep(INTERVAL.toMillis());
                    }
                } while (stream);
                emitter.complete();
            } catch (IOException e) {
                log.debug("stats client went away: {}", e.toString());
                emitter.completeWithError(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                emitter.complete();
            } catch (RuntimeException e) {
                log.warn("stats of container {} failed", container.id(), e);
                emitter.completeWithError(e);
            }
        }, "container-stats-" + THREADS.incrementAndGet());
        thread.setDaemon(true);
        thread.start();
        return emitter;
    }

    private static void send(ResponseBodyEmitter emitter, Map<String, Object> json) throws IOException {
        emitter.send((JsonMaps.JSON.writeValueAsString(json) + "\n").getBytes(StandardCharsets.UTF_8),
                MediaType.APPLICATION_JSON);
    }

    /** dockerd's stats object; all zeros (as dockerd shows them) for a container that does not run. */
    static Map<String, Object> json(ContainerRecord container, Sample current, Sample previous, int cpus,
            long memTotal) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("read", current == null ? ContainerViews.ZERO_TIME
                : DateTimeFormatter.ISO_INSTANT.format(current.read()));
        body.put("preread", previous == null ? ContainerViews.ZERO_TIME
                : DateTimeFormatter.ISO_INSTANT.format(previous.read()));
        CgroupStats stats = current == null ? null : current.stats();
        Map<String, Object> pids = new LinkedHashMap<>();
        if (stats != null) {
            pids.put("current", stats.pidsCurrent());
            if (stats.pidsLimit() >= 0) {
                pids.put("limit", stats.pidsLimit());
            }
        }
        body.put("pids_stats", pids);
        Map<String, Object> blkio = new LinkedHashMap<>();
        for (String key : new String[] {"io_service_bytes_recursive", "io_serviced_recursive",
                "io_queue_recursive", "io_service_time_recursive", "io_wait_time_recursive", "io_merged_recursive",
                "io_time_recursive", "sectors_recursive"}) {
            blkio.put(key, null);
        }
        body.put("blkio_stats", blkio);
        body.put("num_procs", 0);
        body.put("storage_stats", Map.of());
        body.put("cpu_stats", cpu(current, cpus));
        body.put("precpu_stats", cpu(previous, cpus));
        Map<String, Object> memory = new LinkedHashMap<>();
        if (stats != null) {
            memory.put("usage", stats.memoryUsage());
            memory.put("stats", Map.of("cache", stats.memoryCache(), "total_cache", stats.memoryCache()));
            memory.put("limit", stats.memoryLimit() < 0 ? memTotal : Math.min(stats.memoryLimit(), memTotal));
        }
        body.put("memory_stats", memory);
        body.put("name", container.name());
        body.put("id", container.id());
        return body;
    }

    private static Map<String, Object> cpu(Sample sample, int cpus) {
        Map<String, Object> usage = new LinkedHashMap<>();
        usage.put("total_usage", sample == null ? 0 : sample.stats().cpuUsageNanos());
        usage.put("usage_in_kernelmode", 0);
        usage.put("usage_in_usermode", 0);
        Map<String, Object> cpu = new LinkedHashMap<>();
        cpu.put("cpu_usage", usage);
        if (sample != null) {
            cpu.put("system_cpu_usage", sample.systemNanos());
            cpu.put("online_cpus", cpus);
        }
        cpu.put("throttling_data", Map.of("periods", 0, "throttled_periods", 0, "throttled_time", 0));
        return cpu;
    }
}
