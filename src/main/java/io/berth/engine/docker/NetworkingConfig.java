package io.berth.engine.docker;

import java.util.Map;

/**
 * The create body's NetworkingConfig: an endpoint's settings (aliases, links, IPAM addresses, MAC address, driver
 * options) for each network the container joins, by network name.
 */
@DockerJson
public record NetworkingConfig(Map<String, EndpointSettings> endpointsConfig) {

    public NetworkingConfig {
        endpointsConfig = Copies.map(endpointsConfig);
    }
}
