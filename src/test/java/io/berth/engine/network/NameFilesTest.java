package io.berth.engine.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/** A container's /etc/resolv.conf and /etc/hosts, as dockerd writes them. */
class NameFilesTest {

    private static final Path HOST = Path.of("/etc/resolv.conf");

    @Test
    void withoutANetworkDnsTheHostsReachableServersAreKept() {
        String resolv = ResolvConf.parse(HOST, """
                # the host's
                nameserver 127.0.0.53
                nameserver 192.0.2.53
                nameserver 2001:db8::53
                search corp.example
                options edns0 ndots:2
                sortlist 10.0.0.0
                """).forNetworkWithoutDns();

        assertThat(resolv).startsWith(ResolvConf.HEADER + "nameserver 192.0.2.53\nsearch corp.example\n"
                + "options edns0 ndots:2\nsortlist 10.0.0.0\n\n# Based on host file: '/etc/resolv.conf' (legacy)\n");
        assertThat(resolv).contains("# Overrides: []\n").contains("# Option ndots from: host\n");
    }

    @Test
    void onlyLoopbackServersLeaveGooglesAsDockerdDoes() {
        String resolv = ResolvConf.parse(HOST, "nameserver 127.0.0.53\n").forNetworkWithoutDns();

        assertThat(resolv).contains("nameserver 8.8.8.8\nnameserver 8.8.4.4\n").contains("# Used default nameservers.");
    }

    @Test
    void onAUserNetworkItsDnsServerIsTheOnlyOneAndTheHostsGoUpstream() {
        String resolv = ResolvConf.parse(HOST, "nameserver 127.0.0.53\nnameserver 192.0.2.53\nsearch corp.example\n")
                .forNetworkDns(Ipv4.parse("172.18.0.1"));

        assertThat(resolv).startsWith(ResolvConf.HEADER + "nameserver 172.18.0.1\nsearch corp.example\n"
                + "options ndots:0\n");
        assertThat(resolv).contains("# ExtServers: [host(127.0.0.53) 192.0.2.53]\n")
                .contains("# Option ndots from: internal\n");
    }

    @Test
    void dnsOptionsFromTheCommandLineReplaceTheHosts() {
        String resolv = ResolvConf.parse(HOST, "nameserver 192.0.2.53\nsearch corp.example\noptions rotate\n")
                .override(List.of("192.0.2.99"), List.of("a.example", "."), List.of("ndots:3", "timeout:1"))
                .forNetworkDns(Ipv4.parse("172.18.0.1"));

        assertThat(resolv).contains("nameserver 172.18.0.1\nsearch a.example\noptions ndots:3 timeout:1\n")
                .contains("# ExtServers: [192.0.2.99]").contains("# Overrides: [nameservers search options]")
                .contains("# Option ndots from: override");
    }

    @Test
    void hostsHaveLocalhostTheExtraHostsAndTheContainersAddresses() {
        String hosts = HostsFile.build("web", "", List.of("db:10.0.0.5", "host.docker.internal:host-gateway",
                "v6=[2001:db8::1]"), Ipv4.parse("172.17.0.1"), List.of(Ipv4.parse("172.18.0.2")));

        assertThat(hosts).isEqualTo("""
                127.0.0.1\tlocalhost
                ::1\tlocalhost ip6-localhost ip6-loopback
                fe00::0\tip6-localnet
                ff00::0\tip6-mcastprefix
                ff02::1\tip6-allnodes
                ff02::2\tip6-allrouters
                10.0.0.5\tdb
                172.17.0.1\thost.docker.internal
                2001:db8::1\tv6
                172.18.0.2\tweb
                """);
        assertThat(HostsFile.build("web", "example.com", List.of(), null, List.of(Ipv4.parse("10.1.0.2"))))
                .endsWith("10.1.0.2\tweb.example.com web\n");
        assertThatThrownBy(() -> HostsFile.build("web", "", List.of("db:nowhere"), null, List.of()))
                .hasMessage("invalid IP address in add-host: \"nowhere\"");
        assertThatThrownBy(() -> HostsFile.build("web", "", List.of("gw:host-gateway"), null, List.of()))
                .hasMessage("unable to derive the IP value for host-gateway");
    }
}
