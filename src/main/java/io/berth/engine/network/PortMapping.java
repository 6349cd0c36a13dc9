package io.berth.engine.network;

import static io.berth.common.error.ErrorKind.INVALID;

import io.berth.common.error.BerthException;

/**
 * A port a container asks to publish ({@code -p [hostIp:][hostPort:]containerPort[/protocol]}).
 *
 * @param hostIp   the host address to listen on; null or empty for all of them (0.0.0.0)
 * @param hostPort the host port, 0 for one the Engine picks from the kernel's ephemeral range
 */
public record PortMapping(int containerPort, String protocol, String hostIp, int hostPort) {

    public PortMapping {
        if (containerPort < 1 || containerPort > 65535) {
            throw new BerthException(INVALID, "invalid containerPort: " + containerPort);
        }
        if (hostPort < 0 || hostPort > 65535) {
            throw new BerthException(INVALID, "invalid hostPort: " + hostPort);
        }
        protocol = protocol == null || protocol.isEmpty() ? "tcp" : protocol.toLowerCase(java.util.Locale.ROOT);
        if (!protocol.equals("tcp") && !protocol.equals("udp")) {
            throw new BerthException(INVALID, "invalid proto: " + protocol);
        }
        hostIp = hostIp == null ? "" : hostIp;
        if (!hostIp.isEmpty() && Ipv4.parseOrNull(hostIp) == null) {
            throw new BerthException(INVALID, "invalid IP address: " + hostIp + " (IPv4 only on this Engine)");
        }
    }

    /** The address to listen on: the given one, or 0.0.0.0. */
    public Ipv4 hostAddress() {
        return hostIp.isEmpty() ? new Ipv4(0) : Ipv4.parse(hostIp);
    }
}
