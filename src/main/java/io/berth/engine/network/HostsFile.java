package io.berth.engine.network;

import static io.berth.common.error.ErrorKind.INVALID;

import java.util.List;

import io.berth.common.error.BerthException;

/**
 * A container's /etc/hosts as dockerd writes it (libnetwork's etchosts): localhost and the IPv6 names, the
 * {@code --add-host} entries, then a line per address of the container with its host name ({@code fqdn short} when a
 * domain name is set).
 */
public final class HostsFile {

    /** The special address of {@code --add-host name:host-gateway}: the host, as the default bridge's gateway. */
    public static final String HOST_GATEWAY = "host-gateway";

    private static final String DEFAULT = "127.0.0.1\tlocalhost\n"
            + "::1\tlocalhost ip6-localhost ip6-loopback\n"
            + "fe00::0\tip6-localnet\n"
            + "ff00::0\tip6-mcastprefix\n"
            + "ff02::1\tip6-allnodes\n"
            + "ff02::2\tip6-allrouters\n";

    private HostsFile() {
    }

    /**
     * @param extraHosts  {@code --add-host} entries, {@code name:address} or {@code name=address}; the address may be
     *                    {@code host-gateway}
     * @param hostGateway what {@code host-gateway} stands for; null when there is none (no default bridge)
     * @param addresses   the container's addresses (none with {@code --network none})
     */
    public static String build(String hostname, String domainname, List<String> extraHosts, Ipv4 hostGateway,
            List<Ipv4> addresses) {
        StringBuilder hosts = new StringBuilder(DEFAULT);
        for (String extra : extraHosts == null ? List.<String>of() : extraHosts) {
            ExtraHost host = ExtraHost.parse(extra, hostGateway);
            hosts.append(host.address()).append('\t').append(host.name()).append('\n');
        }
        String names = hostname;
        if (domainname != null && !domainname.isEmpty()) {
            names = hostname + "." + domainname + " " + hostname;
        }
        for (Ipv4 address : addresses) {
            hosts.append(address).append('\t').append(names).append('\n');
        }
        return hosts.toString();
    }

    /** One {@code --add-host} entry. */
    record ExtraHost(String name, String address) {

        static ExtraHost parse(String entry, Ipv4 hostGateway) {
            int separator = entry.indexOf('=');
            if (separator < 0) {
                separator = entry.indexOf(':');
            }
            if (separator <= 0 || separator == entry.length() - 1) {
                throw new BerthException(INVALID, "invalid IP address in add-host: \"" + entry + "\"");
            }
            String name = entry.substring(0, separator);
            String address = entry.substring(separator + 1);
            if (address.startsWith("[") && address.endsWith("]")) {
                address = address.substring(1, address.length() - 1);
            }
            if (address.equals(HOST_GATEWAY)) {
                if (hostGateway == null) {
                    throw new BerthException(INVALID, "unable to derive the IP value for host-gateway");
                }
                address = hostGateway.toString();
            } else if (Ipv4.parseOrNull(address) == null && !ResolvConf.isIpv6(address)) {
                throw new BerthException(INVALID, "invalid IP address in add-host: \"" + address + "\"");
            }
            if (name.isBlank() || name.chars().anyMatch(Character::isWhitespace)) {
                throw new BerthException(INVALID, "invalid host name in add-host: \"" + entry + "\"");
            }
            return new ExtraHost(name, address);
        }
    }
}
