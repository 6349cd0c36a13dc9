package io.berth.engine.api;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The TCP address of {@code berth.engine.tcp}: {@code host:port}, {@code [v6]:port} or {@code tcp://host:port}.
 * Loopback only unless remote access is allowed explicitly: whoever reaches the Engine API is root on this machine,
 * and it has no authentication of its own (as dockerd's plain TCP socket has none).
 */
record EngineTcpAddress(InetAddress address, int port) {

    static EngineTcpAddress parse(String value, boolean allowRemote) {
        String text = value.trim();
        if (text.startsWith("tcp://")) {
            text = text.substring("tcp://".length());
        }
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw invalid(value, "expected host:port, e.g. 127.0.0.1:2375");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw invalid(value, "the port is not a number");
        }
        if (port < 1 || port > 65535) {
            throw invalid(value, "the port must be between 1 and 65535");
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw invalid(value, "unknown host " + host);
        }
        if (!address.isLoopbackAddress() && !allowRemote) {
            throw invalid(value, address.getHostAddress() + " is not a loopback address; the Engine API gives root"
                    + " on this machine to anyone who reaches it and has no authentication. Use 127.0.0.1, or set"
                    + " berth.engine.allow-remote-tcp=true if the network in front of it is trusted");
        }
        return new EngineTcpAddress(address, port);
    }

    private static IllegalStateException invalid(String value, String why) {
        return new IllegalStateException("berth.engine.tcp=" + value + " refused: " + why);
    }
}
