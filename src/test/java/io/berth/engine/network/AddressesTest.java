package io.berth.engine.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.berth.common.error.BerthException;
import io.berth.common.error.ErrorKind;

/** Addresses, blocks and subnets as clients write them, and the addresses handed out on a subnet. */
class AddressesTest {

    @Test
    void addressesAreParsedStrictly() {
        assertThat(Ipv4.parse("172.18.0.2").toString()).isEqualTo("172.18.0.2");
        assertThat(Ipv4.parse("255.255.255.255").unsigned()).isEqualTo(0xFFFFFFFFL);
        for (String bad : List.of("1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.-4", "a.b.c.d", "1.2.3.4 ",
                "", "1..2.3")) {
            assertThat(Ipv4.parseOrNull(bad)).as(bad).isNull();
        }
    }

    @Test
    void blocksAreCheckedWithDockerdsWords() {
        Cidr block = Cidr.parseBlock("10.1.0.0/16", "subnet");
        assertThat(block.contains(Ipv4.parse("10.1.255.7"))).isTrue();
        assertThat(block.contains(Ipv4.parse("10.2.0.1"))).isFalse();
        assertThat(block.overlaps(Cidr.parse("10.0.0.0/8"))).isTrue();
        assertThat(block.overlaps(Cidr.parse("10.2.0.0/16"))).isFalse();
        assertThat(block.broadcast()).isEqualTo(Ipv4.parse("10.1.255.255"));
        assertThatThrownBy(() -> Cidr.parseBlock("10.1.0.1/16", "subnet"))
                .hasMessage("invalid subnet 10.1.0.1/16: it should be 10.1.0.0/16");
        assertThatThrownBy(() -> Cidr.parseBlock("10.1.0.0/33", "ip-range"))
                .hasMessage("invalid ip-range 10.1.0.0/33: invalid CIDR block notation");
    }

    @Test
    void aSubnetsGatewayAndRangeAreChecked() {
        Subnet plain = Subnet.of("172.30.0.0/16", null, null);
        assertThat(plain.gateway()).isEqualTo(Ipv4.parse("172.30.0.1"));
        Subnet ranged = Subnet.of("172.30.0.0/16", "", "172.30.5.0/24");
        assertThat(ranged.gateway()).isEqualTo(Ipv4.parse("172.30.5.1"));
        assertThat(ranged.pool()).isEqualTo(Cidr.parse("172.30.5.0/24"));
        assertThatThrownBy(() -> Subnet.of("172.30.0.0/16", "172.31.0.1", null))
                .hasMessage("invalid gateway 172.31.0.1: parent subnet 172.30.0.0/16 doesn't contain this address");
        assertThatThrownBy(() -> Subnet.of("172.30.0.0/16", null, "172.31.0.0/24"))
                .hasMessage("invalid ip-range 172.31.0.0/24: parent subnet 172.30.0.0/16 doesn't contain ip-range");
        assertThatThrownBy(() -> Subnet.of("172.30.0.0/24", null, "172.30.0.0/16"))
                .hasMessage("invalid ip-range 172.30.0.0/16: CIDR block is bigger than its parent subnet "
                        + "172.30.0.0/24");
        assertThatThrownBy(() -> Subnet.of("172.30.0.0/16", "nonsense", null))
                .hasMessageStartingWith("invalid gateway nonsense");
    }

    @Test
    void addressesComeLowestFirstFromTheRangeAndAreGivenBack() {
        AddressAllocator addresses = new AddressAllocator(Subnet.of("10.9.0.0/24", "10.9.0.1", "10.9.0.8/30"));

        assertThat(List.of(addresses.allocate(), addresses.allocate(), addresses.allocate()))
                .extracting(Ipv4::toString).containsExactly("10.9.0.8", "10.9.0.9", "10.9.0.10");
        addresses.release(Ipv4.parse("10.9.0.9"));
        assertThat(addresses.allocate()).isEqualTo(Ipv4.parse("10.9.0.9"));
        assertThat(addresses.allocate()).isEqualTo(Ipv4.parse("10.9.0.11"));
        assertThatThrownBy(addresses::allocate).isInstanceOf(BerthException.class)
                .extracting(e -> ((BerthException) e).kind()).isEqualTo(ErrorKind.UNAVAILABLE);
        assertThat(addresses.inUse()).isEqualTo(4);
    }

    @Test
    void anAddressAskedForIsGivenOnceAndOnlyInsideTheSubnet() {
        AddressAllocator addresses = new AddressAllocator(Subnet.of("10.9.0.0/24", null, null));

        assertThat(addresses.allocate(Ipv4.parse("10.9.0.200"))).isEqualTo(Ipv4.parse("10.9.0.200"));
        assertThatThrownBy(() -> addresses.allocate(Ipv4.parse("10.9.0.200"))).hasMessage("Address already in use");
        assertThatThrownBy(() -> addresses.allocate(Ipv4.parse("10.9.0.1"))).hasMessage("Address already in use");
        assertThatThrownBy(() -> addresses.allocate(Ipv4.parse("10.9.1.5")))
                .hasMessage("invalid address 10.9.1.5: It does not belong to any of this network's subnets");
        assertThatThrownBy(() -> addresses.allocate(Ipv4.parse("10.9.0.255"))).hasMessageContaining("broadcast");
        assertThat(addresses.restore(Ipv4.parse("10.9.0.200"))).isFalse();
        assertThat(addresses.restore(Ipv4.parse("10.9.0.201"))).isTrue();
        assertThat(addresses.allocate()).isEqualTo(Ipv4.parse("10.9.0.2"));
    }

    @Test
    void threadsAllocatingAtOnceNeverShareAnAddress() throws Exception {
        AddressAllocator addresses = new AddressAllocator(Subnet.of("10.9.0.0/22", null, null));
        Set<Ipv4> given = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        for (int i = 0; i < 1000; i++) {
            pool.submit(() -> given.add(addresses.allocate()));
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
        assertThat(given).hasSize(1000);
        assertThat(new HashSet<>(given)).doesNotContain(Ipv4.parse("10.9.0.1"), Ipv4.parse("10.9.0.0"));
    }

    @Test
    void macAddressesFollowTheAddressAsDockerdDerivesThem() {
        assertThat(Endpoint.macAddress(Ipv4.parse("172.17.0.2"))).isEqualTo("02:42:ac:11:00:02");
    }
}
