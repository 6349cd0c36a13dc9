package io.berth.engine.docker;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;

/**
 * A container's Config (swagger {@code ContainerConfig}, moby's {@code container.Config}): what the create body sets
 * besides HostConfig and NetworkingConfig, and what inspect shows as {@code Config}. The image's config blob has the
 * same shape in its {@code config} object. {@code Cmd}, {@code Entrypoint} and {@code Shell} take a lone string as a
 * list of one, as Docker's strslice does; null there means "not set" (the image's), {@code [""]} "none".
 */
@DockerJson
public record ContainerConfig(
        @ZeroWhenNull String hostname,
        @ZeroWhenNull String domainname,
        @ZeroWhenNull String user,
        @ZeroWhenNull boolean attachStdin,
        @ZeroWhenNull boolean attachStdout,
        @ZeroWhenNull boolean attachStderr,
        @OmitEmpty Map<String, EmptyObject> exposedPorts,
        @ZeroWhenNull boolean tty,
        @ZeroWhenNull boolean openStdin,
        @ZeroWhenNull boolean stdinOnce,
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> env,
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> cmd,
        @JsonInclude(Include.NON_NULL) HealthConfig healthcheck,
        @ZeroWhenNull @OmitEmpty boolean argsEscaped,
        @ZeroWhenNull String image,
        Map<String, EmptyObject> volumes,
        @ZeroWhenNull String workingDir,
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> entrypoint,
        @ZeroWhenNull @OmitEmpty boolean networkDisabled,
        @ZeroWhenNull @OmitEmpty String macAddress,
        List<String> onBuild,
        Map<String, String> labels,
        @ZeroWhenNull @OmitEmpty String stopSignal,
        @JsonInclude(Include.NON_NULL) Integer stopTimeout,
        @OmitEmpty @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
        List<String> shell) {

    /** Lists and maps are kept as they are, unmodifiable; strings null only where the constructor was given null. */
    public ContainerConfig {
        exposedPorts = Copies.map(exposedPorts);
        env = Copies.list(env);
        cmd = Copies.list(cmd);
        volumes = Copies.map(volumes);
        entrypoint = Copies.list(entrypoint);
        onBuild = Copies.list(onBuild);
        labels = Copies.map(labels);
        shell = Copies.list(shell);
    }

    /** A Config that sets nothing. */
    public static ContainerConfig empty() {
        return new ContainerConfig("", "", "", false, false, false, null, false, false, false, null, null, null, false,
                "", null, "", null, false, "", null, null, "", null, null);
    }

    public ContainerConfig withHostname(String newHostname) {
        return new ContainerConfig(newHostname, domainname, user, attachStdin, attachStdout, attachStderr,
                exposedPorts, tty, openStdin, stdinOnce, env, cmd, healthcheck, argsEscaped, image, volumes, workingDir,
                entrypoint, networkDisabled, macAddress, onBuild, labels, stopSignal, stopTimeout, shell);
    }

    /** The labels, empty rather than null. */
    public Map<String, String> labelsOrEmpty() {
        return labels == null ? Map.of() : labels;
    }
}
