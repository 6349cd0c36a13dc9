package io.berth.engine.docker;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

/**
 * The body of {@code POST /containers/create}: the container's Config with its HostConfig and NetworkingConfig beside
 * Config's own fields.
 */
@DockerJson
public record ContainerCreateRequest(@JsonUnwrapped ContainerConfig config, HostConfig hostConfig,
        NetworkingConfig networkingConfig) {

    public ContainerCreateRequest {
        config = config == null ? ContainerConfig.empty() : config;
        hostConfig = hostConfig == null ? HostConfig.empty() : hostConfig;
    }
}
