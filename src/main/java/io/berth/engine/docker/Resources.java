package io.berth.engine.docker;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A container's resources (swagger {@code Resources}): cgroup limits, devices and ulimits. Part of HostConfig (its
 * fields sit at HostConfig's own level) and the body of {@code POST /containers/{id}/update}. Berth applies memory and
 * swap, CPU shares, quota, period and NanoCpus, the pids limit, ulimits and the cgroup parent; the rest is kept and
 * shown as given.
 */
@DockerJson
public record Resources(
        @ZeroWhenNull long cpuShares,
        @ZeroWhenNull long memory,
        @ZeroWhenNull long nanoCpus,
        @ZeroWhenNull String cgroupParent,
        @ZeroWhenNull int blkioWeight,
        List<WeightDevice> blkioWeightDevice,
        List<ThrottleDevice> blkioDeviceReadBps,
        List<ThrottleDevice> blkioDeviceWriteBps,
        @JsonProperty("BlkioDeviceReadIOps") List<ThrottleDevice> blkioDeviceReadIOps,
        @JsonProperty("BlkioDeviceWriteIOps") List<ThrottleDevice> blkioDeviceWriteIOps,
        @ZeroWhenNull long cpuPeriod,
        @ZeroWhenNull long cpuQuota,
        @ZeroWhenNull long cpuRealtimePeriod,
        @ZeroWhenNull long cpuRealtimeRuntime,
        @ZeroWhenNull String cpusetCpus,
        @ZeroWhenNull String cpusetMems,
        List<DeviceMapping> devices,
        List<String> deviceCgroupRules,
        List<DeviceRequest> deviceRequests,
        @ZeroWhenNull @OmitEmpty long kernelMemory,
        @ZeroWhenNull @JsonProperty("KernelMemoryTCP") @OmitEmpty long kernelMemoryTcp,
        @ZeroWhenNull long memoryReservation,
        @ZeroWhenNull long memorySwap,
        Long memorySwappiness,
        Boolean oomKillDisable,
        Long pidsLimit,
        List<Ulimit> ulimits,
        @ZeroWhenNull long cpuCount,
        @ZeroWhenNull long cpuPercent,
        @ZeroWhenNull @JsonProperty("IOMaximumIOps") long ioMaximumIOps,
        @ZeroWhenNull @JsonProperty("IOMaximumBandwidth") long ioMaximumBandwidth) {

    public Resources {
        blkioWeightDevice = Copies.list(blkioWeightDevice);
        blkioDeviceReadBps = Copies.list(blkioDeviceReadBps);
        blkioDeviceWriteBps = Copies.list(blkioDeviceWriteBps);
        blkioDeviceReadIOps = Copies.list(blkioDeviceReadIOps);
        blkioDeviceWriteIOps = Copies.list(blkioDeviceWriteIOps);
        devices = Copies.list(devices);
        deviceCgroupRules = Copies.list(deviceCgroupRules);
        deviceRequests = Copies.list(deviceRequests);
        ulimits = Copies.list(ulimits);
    }

    /** No limit at all. */
    public static Resources none() {
        return new Resources(0, 0, 0, "", 0, null, null, null, null, null, 0, 0, 0, 0, "", "", null, null, null, 0,
                0, 0, 0, null, null, null, null, 0, 0, 0, 0);
    }

    /**
     * These resources with the limits {@code docker update} changes: as with dockerd, a limit given as 0 (or not at
     * all) stays as it is.
     */
    public Resources withLimitsOf(Resources update) {
        return new Resources(update.cpuShares != 0 ? update.cpuShares : cpuShares,
                update.memory != 0 ? update.memory : memory, update.nanoCpus != 0 ? update.nanoCpus : nanoCpus,
                cgroupParent, blkioWeight, blkioWeightDevice, blkioDeviceReadBps, blkioDeviceWriteBps,
                blkioDeviceReadIOps, blkioDeviceWriteIOps, update.cpuPeriod != 0 ? update.cpuPeriod : cpuPeriod,
                update.cpuQuota != 0 ? update.cpuQuota : cpuQuota, cpuRealtimePeriod, cpuRealtimeRuntime, cpusetCpus,
                cpusetMems, devices, deviceCgroupRules, deviceRequests, kernelMemory, kernelMemoryTcp,
                memoryReservation, update.memorySwap != 0 ? update.memorySwap : memorySwap, memorySwappiness,
                oomKillDisable, update.pidsLimit != null && update.pidsLimit != 0 ? update.pidsLimit : pidsLimit,
                ulimits, cpuCount, cpuPercent, ioMaximumIOps, ioMaximumBandwidth);
    }

    /** Whether these resources, as the body of {@code docker update}, set a limit it changes. */
    public boolean setsLimits() {
        return memory != 0 || memorySwap != 0 || nanoCpus != 0 || cpuShares != 0 || cpuQuota != 0 || cpuPeriod != 0
                || (pidsLimit != null && pidsLimit != 0);
    }

    /** A ulimit ({@code nofile}, {@code nproc}, ...) with its soft and hard values. */
    @DockerJson
    public record Ulimit(String name, @ZeroWhenNull long soft, @ZeroWhenNull long hard) {
    }

    /** A device of the host made available in the container. */
    @DockerJson
    public record DeviceMapping(@ZeroWhenNull String pathOnHost, @ZeroWhenNull String pathInContainer,
            @ZeroWhenNull String cgroupPermissions) {
    }

    /** A request for devices of a driver (GPUs). */
    @DockerJson
    public record DeviceRequest(@ZeroWhenNull String driver, @ZeroWhenNull int count,
            @JsonProperty("DeviceIDs") List<String> deviceIds, List<List<String>> capabilities,
            java.util.Map<String, String> options) {

        public DeviceRequest {
            deviceIds = Copies.list(deviceIds);
            capabilities = capabilities == null ? null : Copies.list(capabilities.stream().map(Copies::list).toList());
            options = Copies.map(options);
        }
    }

    /** A block device's IO limit: bytes or operations per second. */
    @DockerJson
    public record ThrottleDevice(@ZeroWhenNull String path, @ZeroWhenNull long rate) {
    }

    /** A block device's relative IO weight. */
    @DockerJson
    public record WeightDevice(@ZeroWhenNull String path, @ZeroWhenNull int weight) {
    }
}
