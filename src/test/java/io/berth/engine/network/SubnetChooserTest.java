package io.berth.engine.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Subnets for networks created without one skip the host's routes and name servers, as dockerd's do. */
class SubnetChooserTest {

    @TempDir
    Path dir;

    @Test
    void theFirstBlockThatClashesWithNothingIsChosen() throws Exception {
        // 172.17.0.0/16 routed (a dockerd's docker0), 10.255.255.0/24 on eth0, the default route.
        Path routes = Files.writeString(dir.resolve("route"), """
                Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
                eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0
                docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0
                eth0\t00FFFF0A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
                """);
        Path resolv = Files.writeString(dir.resolve("resolv.conf"), "nameserver 172.18.3.4\nnameserver ::1\n");
        SubnetChooser chooser = new SubnetChooser(List.of("172.17.0.0/16:16", "172.18.0.0/15:16"), routes, resolv);

        assertThat(chooser.hostRoutes()).containsExactly(Cidr.parse("172.17.0.0/16"), Cidr.parse("10.255.255.0/24"));
        assertThat(chooser.choose(List.of())).isEqualTo(Cidr.parse("172.19.0.0/16"));
        assertThatThrownBy(() -> chooser.choose(List.of(Cidr.parse("172.19.0.0/16"))))
                .hasMessageStartingWith("could not find an available, non-overlapping IPv4 address pool");
    }

    @Test
    void poolsAreCutIntoBlocksOfTheirSize() throws Exception {
        Path none = dir.resolve("missing");
        SubnetChooser chooser = new SubnetChooser(List.of("192.168.0.0/16:20"), none, none);

        assertThat(chooser.choose(List.of(Cidr.parse("192.168.0.0/20"), Cidr.parse("192.168.16.0/24"))))
                .isEqualTo(Cidr.parse("192.168.32.0/20"));
        assertThatThrownBy(() -> new SubnetChooser(List.of("10.0.0.0/8"), none, none))
                .hasMessageContaining("expected <base>/<bits>:<size>");
    }
}
