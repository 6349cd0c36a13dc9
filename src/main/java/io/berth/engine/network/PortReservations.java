package io.berth.engine.network;

import static io.berth.common.error.ErrorKind.CONFLICT;
import static io.berth.common.error.ErrorKind.INVALID;
import static io.berth.common.error.ErrorKind.UNAVAILABLE;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.berth.common.error.BerthException;

/**
 * The host ports published containers hold. The Engine binds each one itself (a TCP listener that never accepts, a UDP
 * socket that never reads) for as long as the container has it: binding is how it knows the port is free (of other
 * containers and of any other program), and holding it keeps the port from being taken later by a program that would
 * then never see its traffic (the DNAT rule takes it first). Traffic itself never reaches these sockets.
 *
 * <p>Ephemeral ports ({@code -p 80}) come from the kernel's ephemeral range
 * ({@code /proc/sys/net/ipv4/ip_local_port_range}, 32768-60999 by default), as dockerd's do.
 */
final class PortReservations {

    /** One held port; closing it lets the port go. */
    static final class Reservation implements Closeable {

        private final Key key;
        private final NetworkChannel channel;
        private final PortReservations owner;

        private Reservation(Key key, NetworkChannel channel, PortReservations owner) {
            this.key = key;
            this.channel = channel;
            this.owner = owner;
        }

        int port() {
            return key.port;
        }

        @Override
        public void close() {
            owner.release(this);
        }
    }

    private record Key(String protocol, Ipv4 address, int port) {
    }

    private final Map<Key, Reservation> held = new HashMap<>();
    private final int firstEphemeral;
    private final int lastEphemeral;
    private int nextEphemeral;

    PortReservations(Path portRange) {
        int[] range = ephemeralRange(portRange);
        this.firstEphemeral = range[0];
        this.lastEphemeral = range[1];
        this.nextEphemeral = range[0];
    }

    /**
     * Holds {@code protocol} port {@code port} (0: an ephemeral one) on {@code address} (0.0.0.0: every address).
     * Fails with dockerd's words when the port is taken, by another container or by anything else.
     */
    synchronized Reservation reserve(String protocol, Ipv4 address, int port) {
        if (port != 0) {
            Reservation reservation = bind(protocol, address, port);
            if (reservation == null) {
                throw new BerthException(CONFLICT, "Bind for " + address + ":" + port
                        + " failed: port is already allocated");
            }
            return reservation;
        }
        int span = lastEphemeral - firstEphemeral + 1;
        for (int tried = 0; tried < span; tried++) {
            int candidate = nextEphemeral;
            nextEphemeral = candidate == lastEphemeral ? firstEphemeral : candidate + 1;
            Reservation reservation = bind(protocol, address, candidate);
            if (reservation != null) {
                return reservation;
            }
        }
        throw new BerthException(UNAVAILABLE, "all ports are allocated");
    }

    synchronized boolean isHeld(String protocol, Ipv4 address, int port) {
        return held.containsKey(new Key(protocol, address, port));
    }

    private Reservation bind(String protocol, Ipv4 address, int port) {
        Key key = new Key(protocol, address, port);
        if (held.containsKey(key) || clashesWithHeld(key)) {
            return null;
        }
        NetworkChannel channel = null;
        try {
            InetSocketAddress socketAddress = new InetSocketAddress(InetAddress.getByName(address.toString()), port);
            if (protocol.equals("udp")) {
                DatagramChannel udp = DatagramChannel.open(StandardProtocolFamily.INET);
                channel = udp;
                udp.bind(socketAddress);
            } else {
                ServerSocketChannel tcp = ServerSocketChannel.open(StandardProtocolFamily.INET);
                channel = tcp;
                // Without SO_REUSEADDR a port in TIME_WAIT after a container's last connection could not be held again.
                tcp.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                tcp.bind(socketAddress, 1);
            }
        } catch (IOException e) {
            closeQuietly(channel);
            if (String.valueOf(e.getMessage()).contains("Cannot assign requested address")) {
                throw new BerthException(INVALID, "failed to bind port " + address + ":" + port + "/" + protocol
                        + ": listen " + protocol + "4 " + address + ":" + port + ": bind: cannot assign requested "
                        + "address");
            }
            return null;
        }
        Reservation reservation = new Reservation(key, channel, this);
        held.put(key, reservation);
        return reservation;
    }

    /** 0.0.0.0:80 and 127.0.0.1:80 exclude each other, as binding them would. */
    private boolean clashesWithHeld(Key key) {
        for (Key other : held.keySet()) {
            if (other.protocol.equals(key.protocol) && other.port == key.port
                    && (other.address.isUnspecified() || key.address.isUnspecified())) {
                return true;
            }
        }
        return false;
    }

    private synchronized void release(Reservation reservation) {
        if (held.get(reservation.key) == reservation) {
            held.remove(reservation.key);
        }
        closeQuietly(reservation.channel);
    }

    private static void closeQuietly(NetworkChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing more to let go of
            }
        }
    }

    private static int[] ephemeralRange(Path portRange) {
        try {
            String[] bounds = Files.readString(portRange).trim().split("\\s+");
            int first = Integer.parseInt(bounds[0]);
            int last = Integer.parseInt(bounds[1]);
            if (first > 0 && last >= first && last <= 65535) {
                return new int[] {first, last};
            }
        } catch (IOException | RuntimeException e) {
            // dockerd falls back to its own range too
        }
        return new int[] {32768, 60999};
    }
}
