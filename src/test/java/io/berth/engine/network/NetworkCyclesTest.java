package io.berth.engine.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The leak check at the network's level: 200 containers set up and torn down, on the default bridge and on a
 * user network with names, each publishing a port, leave no veth, namespace pin or mount, firewall rule, kept record,
 * DNS server or address behind.
 */
class NetworkCyclesTest {

    private static final int CYCLES = 200;

    @RegisterExtension
    final NetworkFixture fixture = new NetworkFixture();

    @Test
    void twoHundredSetupsAndTeardownsLeaveNothingBehind() throws Exception {
        NetworkDefinition user = fixture.userNetwork("cycles");
        NetworkDefinition bridge = fixture.service.network("bridge");
        // The first container of each network brings it up: its bridge and its rules stay while the network exists.
        for (NetworkDefinition network : List.of(bridge, user)) {
            ContainerNetwork first = fixture.setup("first", List.of(EndpointRequest.of(network.name())),
                    List.of(new PortMapping(80, "tcp", "", 0)));
            fixture.service.teardown(first.containerId());
        }
        NetworkFixture.Leftovers atRest = fixture.awaitNothingLeftBut(fixture.leftovers().firewallRules());
        assertThat(atRest.firewallRules()).noneMatch(rule -> rule.contains("DNAT --to-destination"));

        for (int cycle = 0; cycle < CYCLES; cycle++) {
            NetworkDefinition network = cycle % 2 == 0 ? bridge : user;
            ContainerNetwork container = fixture.setup("c" + cycle, List.of(EndpointRequest.of(network.name())),
                    List.of(new PortMapping(80, cycle % 4 < 2 ? "tcp" : "udp", "", 0)));
            assertThat(container.endpoints()).hasSize(1);
            fixture.service.teardown(container.containerId());
        }

        assertThat(fixture.awaitNothingLeftBut(atRest.firewallRules())).isEqualTo(atRest);
        for (NetworkDefinition network : List.of(bridge, user)) {
            ContainerNetwork fresh = fixture.setup("fresh", List.of(EndpointRequest.of(network.name())), List.of());
            assertThat(fresh.endpoints().get(0).address().address())
                    .as("every address on %s was given back", network.name())
                    .isEqualTo(network.subnet().gateway().plus(1));
            fixture.service.teardown(fresh.containerId());
        }
        fixture.service.remove(user.name());
        assertThat(fixture.leftovers().firewallRules()).noneMatch(rule -> rule.contains(user.bridge()));
    }
}
