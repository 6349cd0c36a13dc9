package io.berth.engine.docker;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * One object of {@code GET /containers/{id}/stats} (moby's {@code StatsResponse}), in its snake_case names: the cgroup
 * figures of this sample and, as {@code precpu_stats}, the CPU figures of the one before. A container that does not
 * run has only zeros (and empty objects), as dockerd shows it.
 *
 * @param read    RFC 3339, Go's zero time without a sample
 * @param preread the same for the sample before
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"read", "preread", "pids_stats", "blkio_stats", "num_procs", "storage_stats", "cpu_stats",
        "precpu_stats", "memory_stats", "name", "id"})
public record ContainerStats(String read, String preread, PidsStats pidsStats, BlkioStats blkioStats, int numProcs,
        Map<String, Long> storageStats, CpuStats cpuStats, CpuStats precpuStats, MemoryStats memoryStats, String name,
        String id) {

    /** The pids in the cgroup and their limit (none without a limit), both absent without a sample. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(Include.NON_NULL)
    public record PidsStats(Long current, Long limit) {
    }

    /** Block IO: not measured, each list null as dockerd leaves what it has not got. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPropertyOrder({"io_service_bytes_recursive", "io_serviced_recursive", "io_queue_recursive",
            "io_service_time_recursive", "io_wait_time_recursive", "io_merged_recursive", "io_time_recursive",
            "sectors_recursive"})
    public record BlkioStats(List<BlkioEntry> ioServiceBytesRecursive, List<BlkioEntry> ioServicedRecursive,
            List<BlkioEntry> ioQueueRecursive, List<BlkioEntry> ioServiceTimeRecursive,
            List<BlkioEntry> ioWaitTimeRecursive, List<BlkioEntry> ioMergedRecursive, List<BlkioEntry> ioTimeRecursive,
            List<BlkioEntry> sectorsRecursive) {

        public static final BlkioStats NONE = new BlkioStats(null, null, null, null, null, null, null, null);
    }

    /** One figure of a block device. */
    public record BlkioEntry(long major, long minor, String op, long value) {
    }

    /**
     * CPU time used, in nanoseconds; {@code system_cpu_usage} (the host's) and {@code online_cpus} only with a sample.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record CpuStats(CpuUsage cpuUsage, @JsonInclude(Include.NON_NULL) Long systemCpuUsage,
            @JsonInclude(Include.NON_NULL) Integer onlineCpus, ThrottlingData throttlingData) {
    }

    /** The container's CPU time, all of it counted as total. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record CpuUsage(long totalUsage, long usageInKernelmode, long usageInUsermode) {
    }

    /** CFS throttling: not measured. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ThrottlingData(long periods, long throttledPeriods, long throttledTime) {

        public static final ThrottlingData NONE = new ThrottlingData(0, 0, 0);
    }

    /** Memory in use (with the page cache in {@code stats}) and the limit; all absent without a sample. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(Include.NON_NULL)
    public record MemoryStats(Long usage, Map<String, Long> stats, Long limit) {
    }
}
