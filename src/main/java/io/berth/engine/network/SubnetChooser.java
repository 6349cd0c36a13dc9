package io.berth.engine.network;

import static io.berth.common.error.ErrorKind.INVALID;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import io.berth.common.error.BerthException;

/**
 * Picks a subnet for a network that was given none, as dockerd does: the first block of the address pools that
 * overlaps no route of the host (so that a container can still reach the host's own networks), none of the host's
 * name servers, and no network the Engine has already.
 */
final class SubnetChooser {

    private final List<Pool> pools;
    private final Path routeTable;
    private final Path resolvConf;

    /** A base block cut into blocks of {@code size} prefix bits ({@code 172.18.0.0/15:16}). */
    record Pool(Cidr base, int size) {

        static Pool parse(String text) {
            int colon = text.lastIndexOf(':');
            if (colon < 0) {
                throw new BerthException(INVALID, "address pool " + text + ": expected <base>/<bits>:<size>");
            }
            Cidr base = Cidr.parseBlock(text.substring(0, colon), "address pool base");
            int size;
            try {
                size = Integer.parseInt(text.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new BerthException(INVALID, "address pool " + text + ": size is not a number");
            }
            if (size < base.prefix() || size > 30) {
                throw new BerthException(INVALID, "address pool " + text + ": size must be between the base's prefix "
                        + "length and 30");
            }
            return new Pool(base, size);
        }
    }

    SubnetChooser(List<String> pools, Path routeTable, Path resolvConf) {
        this.pools = pools.stream().map(Pool::parse).toList();
        this.routeTable = routeTable;
        this.resolvConf = resolvConf;
    }

    /** The first free block; {@code taken} are the subnets of the Engine's own networks. */
    Cidr choose(Collection<Cidr> taken) {
        List<Cidr> avoid = new ArrayList<>(taken);
        avoid.addAll(hostRoutes());
        List<Ipv4> nameServers = hostNameServers();
        for (Pool pool : pools) {
            long step = 1L << (32 - pool.size());
            for (long start = pool.base().network().unsigned(); start <= pool.base().broadcast().unsigned();
                    start += step) {
                Cidr candidate = new Cidr(new Ipv4((int) start), pool.size());
                if (avoid.stream().noneMatch(candidate::overlaps)
                        && nameServers.stream().noneMatch(candidate::contains)) {
                    return candidate;
                }
            }
        }
        throw new BerthException(INVALID, "could not find an available, non-overlapping IPv4 address pool among the "
                + "defaults to assign to the network");
    }

    /** The host's IPv4 routes but the default one, from the kernel's main table. */
    List<Cidr> hostRoutes() {
        List<Cidr> routes = new ArrayList<>();
        for (String line : lines(routeTable)) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length < 8 || fields[0].equals("Iface")) {
                continue;
            }
            try {
                Ipv4 destination = littleEndianAddress(fields[1]);
                long mask = Integer.toUnsignedLong(Integer.reverseBytes((int) Long.parseLong(fields[7], 16)));
                int prefix = Long.bitCount(mask);
                if (prefix > 0) {
                    routes.add(new Cidr(destination, prefix).block());
                }
            } catch (NumberFormatException e) {
                // not a route line
            }
        }
        return routes;
    }

    private List<Ipv4> hostNameServers() {
        List<Ipv4> servers = new ArrayList<>();
        for (String line : lines(resolvConf)) {
            String[] words = line.trim().split("\\s+");
            if (words.length >= 2 && words[0].equals("nameserver")) {
                Ipv4 address = Ipv4.parseOrNull(words[1]);
                if (address != null) {
                    servers.add(address);
                }
            }
        }
        return servers;
    }

    /** /proc/net/route writes addresses as the hex of their in-memory (network order) int, read little-endian. */
    private static Ipv4 littleEndianAddress(String hex) {
        return new Ipv4(Integer.reverseBytes((int) Long.parseLong(hex, 16)));
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
