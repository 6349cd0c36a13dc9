package io.berth.engine.runtime.cgroup;

/**
 * What {@code docker stats} shows, read from the cgroup files.
 *
 * @param memoryUsage  bytes in use (v1 memory.usage_in_bytes, v2 memory.current)
 * @param memoryLimit  bytes allowed, or -1 for unlimited
 * @param memoryCache  page cache bytes (v1 total_cache / v2 file), which docker subtracts from usage
 * @param cpuUsageNanos total CPU time in nanoseconds
 * @param pidsCurrent  tasks in the cgroup
 * @param pidsLimit    most tasks allowed, or -1 for unlimited
 */
public record CgroupStats(long memoryUsage, long memoryLimit, long memoryCache, long cpuUsageNanos, long pidsCurrent,
        long pidsLimit) {
}
