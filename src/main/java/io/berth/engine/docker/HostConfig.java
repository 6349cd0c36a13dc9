package io.berth.engine.docker;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

/**
 * A container's HostConfig (swagger {@code HostConfig}, moby's {@code container.HostConfig}): what it gets from the
 * host, in the create body and in inspect. Its {@link Resources} sit at its own level on the wire. The networking
 * fields ({@code NetworkMode}, {@code PortBindings}, {@code PublishAllPorts}, {@code Dns*}, {@code ExtraHosts},
 * {@code Links}) are kept as given; what the Engine does with them is its network's business.
 */
@DockerJson
public record HostConfig(
        List<String> binds,
        @ZeroWhenNull @JsonProperty("ContainerIDFile") String containerIdFile,
        LogConfig logConfig,
        @ZeroWhenNull String networkMode,
        Map<String, List<PortBinding>> portBindings,
        RestartPolicy restartPolicy,
        @ZeroWhenNull boolean autoRemove,
        @ZeroWhenNull String volumeDriver,
        List<String> volumesFrom,
        List<Integer> consoleSize,
        @OmitEmpty Map<String, String> annotations,
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> capAdd,
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> capDrop,
        @ZeroWhenNull String cgroupnsMode,
        List<String> dns,
        List<String> dnsOptions,
        List<String> dnsSearch,
        List<String> extraHosts,
        List<String> groupAdd,
        @ZeroWhenNull String ipcMode,
        @ZeroWhenNull String cgroup,
        List<String> links,
        @ZeroWhenNull int oomScoreAdj,
        @ZeroWhenNull String pidMode,
        @ZeroWhenNull boolean privileged,
        @ZeroWhenNull boolean publishAllPorts,
        @ZeroWhenNull boolean readonlyRootfs,
        List<String> securityOpt,
        @OmitEmpty Map<String, String> storageOpt,
        @OmitEmpty Map<String, String> tmpfs,
        @ZeroWhenNull @JsonProperty("UTSMode") String utsMode,
        @ZeroWhenNull String usernsMode,
        @ZeroWhenNull long shmSize,
        @OmitEmpty Map<String, String> sysctls,
        @OmitEmpty String runtime,
        @ZeroWhenNull String isolation,
        @JsonUnwrapped Resources resources,
        @OmitEmpty List<Mount> mounts,
        List<String> maskedPaths,
        List<String> readonlyPaths,
        @JsonInclude(Include.NON_NULL) Boolean init) {

    /** The name inspect shows as HostConfig.Runtime for containers of this Engine. */
    public static final String RUNTIME = "berth";

    public HostConfig {
        binds = Copies.list(binds);
        portBindings = Copies.mapOfLists(portBindings);
        volumesFrom = Copies.list(volumesFrom);
        consoleSize = Copies.list(consoleSize);
        annotations = Copies.map(annotations);
        capAdd = Copies.list(capAdd);
        capDrop = Copies.list(capDrop);
        dns = Copies.list(dns);
        dnsOptions = Copies.list(dnsOptions);
        dnsSearch = Copies.list(dnsSearch);
        extraHosts = Copies.list(extraHosts);
        groupAdd = Copies.list(groupAdd);
        links = Copies.list(links);
        securityOpt = Copies.list(securityOpt);
        storageOpt = Copies.map(storageOpt);
        tmpfs = Copies.map(tmpfs);
        sysctls = Copies.map(sysctls);
        resources = resources == null ? Resources.none() : resources;
        mounts = Copies.list(mounts);
        maskedPaths = Copies.list(maskedPaths);
        readonlyPaths = Copies.list(readonlyPaths);
    }

    /** A HostConfig that asks for nothing, as a create body without one. */
    public static HostConfig empty() {
        return new HostConfig(null, "", null, "", null, null, false, "", null, null, null, null, null, "", null, null,
                null, null, null, "", "", null, 0, "", false, false, false, null, null, null, "", "", 0, null, null,
                "", Resources.none(), null, null, null, null);
    }

    /**
     * Completed as dockerd completes it at create: the network mode {@code default}, restart policy {@code no}, the
     * {@code json-file} log and this Engine's runtime where the client left them out. Itself when nothing is missing.
     */
    public HostConfig withDaemonDefaults() {
        boolean complete = !networkMode.isEmpty() && restartPolicy != null && !restartPolicy.name().isEmpty()
                && logConfig != null && logConfig.type().equals(LogConfig.JSON_FILE.type()) && RUNTIME.equals(runtime);
        if (complete) {
            return this;
        }
        return new HostConfig(binds, containerIdFile, LogConfig.JSON_FILE, networkMode.isEmpty() ? "default" : networkMode,
                portBindings, restartPolicy == null || restartPolicy.name().isEmpty() ? RestartPolicy.NO : restartPolicy,
                autoRemove, volumeDriver, volumesFrom, consoleSize, annotations, capAdd, capDrop, cgroupnsMode, dns,
                dnsOptions, dnsSearch, extraHosts, groupAdd, ipcMode, cgroup, links, oomScoreAdj, pidMode, privileged,
                publishAllPorts, readonlyRootfs, securityOpt, storageOpt, tmpfs, utsMode, usernsMode, shmSize, sysctls,
                RUNTIME, isolation, resources, mounts, maskedPaths, readonlyPaths, init);
    }

    /** This HostConfig with other resources and restart policy ({@code docker update}). */
    public HostConfig withUpdate(Resources newResources, RestartPolicy newRestartPolicy) {
        return new HostConfig(binds, containerIdFile, logConfig, networkMode, portBindings, newRestartPolicy,
                autoRemove, volumeDriver, volumesFrom, consoleSize, annotations, capAdd, capDrop, cgroupnsMode, dns,
                dnsOptions, dnsSearch, extraHosts, groupAdd, ipcMode, cgroup, links, oomScoreAdj, pidMode, privileged,
                publishAllPorts, readonlyRootfs, securityOpt, storageOpt, tmpfs, utsMode, usernsMode, shmSize, sysctls,
                runtime, isolation, newResources, mounts, maskedPaths, readonlyPaths, init);
    }

    public boolean initRequested() {
        return Boolean.TRUE.equals(init);
    }
}
