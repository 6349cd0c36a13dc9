package io.berth.engine.network;

/**
 * A port published for a container: traffic to {@code hostIp:hostPort} (0.0.0.0: any address of the host, loopback
 * included) goes to {@code containerAddress:containerPort}.
 */
public record PublishedPort(String protocol, Ipv4 hostIp, int hostPort, Ipv4 containerAddress, int containerPort) {

    /** dockerd's words for where it listens: {@code 0.0.0.0:8080}. */
    public String hostEndpoint() {
        return hostIp + ":" + hostPort;
    }
}
