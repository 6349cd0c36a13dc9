package io.berth.engine.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.berth.common.error.BerthException;
import io.berth.common.error.ErrorKind;

/** Network definitions: what may be created, how names resolve, what survives a restart, and list filters. */
class NetworkRegistryTest {

    @TempDir
    Path dir;

    private final Clock clock = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);
    private SubnetChooser chooser;
    private NetworkRegistry registry;

    @BeforeEach
    void setUp() throws Exception {
        Path noRoutes = Files.writeString(dir.resolve("route"), "");
        chooser = new SubnetChooser(List.of("10.77.0.0/16:24"), noRoutes, noRoutes);
        registry = registry(properties("berth0", ""));
    }

    private NetworkRegistry registry(NetworkProperties properties) {
        return new NetworkRegistry(new FileNetworkStore(dir.resolve("networks"), NetworkFixture.JSON), chooser,
                properties, clock);
    }

    private static NetworkProperties properties(String bridge, String subnet) {
        return new NetworkProperties(bridge, subnet, List.of("10.77.0.0/16:24"), 1500, Path.of("/unused"),
                Path.of("/unused"), "", "", "BERTH");
    }

    private static NetworkCreate create(String name) {
        return new NetworkCreate(name, null, null, List.of(), false, false, false, Map.of(), Map.of("team", "a"));
    }

    @Test
    void theBuiltInNetworksExistFromTheStartAndKeepTheirIds() {
        NetworkDefinition bridge = registry.find("bridge").definition();
        assertThat(bridge.bridge()).isEqualTo("berth0");
        assertThat(bridge.subnet().block()).isEqualTo(Cidr.parse("10.77.0.0/24"));
        assertThat(registry.find("host").definition().driver()).isEqualTo("host");
        assertThat(registry.find("none").definition().driver()).isEqualTo("null");

        NetworkRegistry restarted = registry(properties("berth0", ""));
        assertThat(restarted.find("bridge").definition()).isEqualTo(bridge);
        assertThat(restarted.find("host").definition().id()).isEqualTo(registry.find("host").definition().id());
    }

    @Test
    void theDefaultBridgeFollowsItsSettingsWhileNoContainerIsOnIt() {
        String id = registry.find("bridge").definition().id();
        NetworkRegistry changed = registry(properties("berth9", "10.99.0.0/16"));

        NetworkDefinition bridge = changed.find("bridge").definition();
        assertThat(bridge.id()).isEqualTo(id);
        assertThat(bridge.bridge()).isEqualTo("berth9");
        assertThat(bridge.subnet().gateway()).isEqualTo(Ipv4.parse("10.99.0.1"));
        assertThat(bridge.options()).containsEntry("com.docker.network.bridge.name", "berth9");
    }

    @Test
    void aUserNetworkIsKeptWithItsSettingsAndAFreeSubnet() {
        NetworkDefinition created = registry.create(create("app"));

        assertThat(created.id()).matches("[0-9a-f]{64}");
        assertThat(created.subnet().block()).isEqualTo(Cidr.parse("10.77.1.0/24"));
        assertThat(created.subnetsConfigured()).isFalse();
        assertThat(created.bridge()).isEqualTo("berth-" + created.id().substring(0, 9));
        assertThat(created.labels()).containsEntry("team", "a");
        assertThat(created.created()).isEqualTo(clock.instant());
        assertThat(registry(properties("berth0", "")).find("app").definition()).isEqualTo(created);
    }

    @Test
    void namesIdsAndPrefixesResolveAsDockerdResolvesThem() {
        NetworkDefinition app = registry.create(create("app"));

        assertThat(registry.find(app.id()).definition()).isEqualTo(app);
        assertThat(registry.find(app.id().substring(0, 5)).definition()).isEqualTo(app);
        assertThatThrownBy(() -> registry.find("nope")).hasMessage("network nope not found")
                .extracting(e -> ((BerthException) e).kind()).isEqualTo(ErrorKind.NOT_FOUND);
        assertThatThrownBy(() -> registry.find("")).extracting(e -> ((BerthException) e).kind())
                .isEqualTo(ErrorKind.NOT_FOUND);
    }

    @Test
    void creationsDockerdRefusesAreRefusedInItsWords() {
        registry.create(create("app"));

        assertThat(refusal(create("app"))).isEqualTo("CONFLICT network with name app already exists");
        assertThat(refusal(create("bridge"))).isEqualTo("DENIED operation is not permitted on predefined bridge "
                + "network ");
        assertThat(refusal(create(" "))).isEqualTo("INVALID invalid name:  ");
        assertThat(refusal(new NetworkCreate("m", "macvlan", null, List.of(), false, false, false, null, null)))
                .isEqualTo("NOT_FOUND could not find plugin macvlan in v1 plugin registry: plugin not found");
        assertThat(refusal(new NetworkCreate("h", "host", null, List.of(), false, false, false, null, null)))
                .isEqualTo("DENIED only one instance of \"host\" network is allowed");
        assertThat(refusal(new NetworkCreate("v6", null, null, List.of(), false, false, true, null, null)))
                .startsWith("INVALID IPv6 networks are not supported");
        assertThat(refusal(withSubnet("clash", "10.77.0.0/16")))
                .matches("DENIED cannot create network [0-9a-f]{64} \\(berth-[0-9a-f]{9}\\): conflicts with network "
                        + "[0-9a-f]{64} \\(berth0\\): networks have overlapping IPv4");
        assertThat(refusal(new NetworkCreate("two", null, null, List.of(
                new NetworkCreate.SubnetRequest("10.80.0.0/24", null, null, null),
                new NetworkCreate.SubnetRequest("10.81.0.0/24", null, null, null)), false, false, false, null, null)))
                .isEqualTo("DENIED bridge driver doesn't support multiple subnets");
        assertThat(refusal(new NetworkCreate("icc", null, null, List.of(), false, false, false,
                Map.of("com.docker.network.bridge.enable_icc", "false"), null))).contains("not supported");
        assertThat(refusal(new NetworkCreate("mtu", null, null, List.of(), false, false, false,
                Map.of("com.docker.network.driver.mtu", "9"), null))).isEqualTo("INVALID invalid MTU number: 9");
    }

    @Test
    void aNetworkIsRemovedOnlyWhenBuiltByTheUserAndUnused() {
        NetworkDefinition app = registry.create(create("app"));
        NetworkRegistry.Network network = registry.join("app", "c1");

        assertThatThrownBy(() -> registry.remove("app")).hasMessage("error while removing network: network app id "
                + app.id() + " has active endpoints");
        assertThatThrownBy(() -> registry.remove("none")).hasMessage("none is a pre-defined network and cannot be "
                + "removed");
        registry.leave(network, "c1");
        assertThat(registry.remove(app.id().substring(0, 12))).isEqualTo(app);
        assertThat(registry(properties("berth0", "")).all()).extracting(n -> n.definition().name())
                .containsExactlyInAnyOrder("bridge", "host", "none");
    }

    @Test
    void listFiltersMatchAsDockerdsDo() {
        NetworkDefinition front = registry.create(create("front-end"));
        registry.create(new NetworkCreate("back-end", null, null, List.of(), true, false, false, null,
                Map.of("tier", "back")));
        Predicate<NetworkDefinition> inUse = network -> network.name().equals("front-end");

        assertThat(names("{\"name\":[\"end\"]}", inUse)).containsExactlyInAnyOrder("front-end", "back-end");
        assertThat(names("{\"name\":{\"^front\":true}}", inUse)).containsExactly("front-end");
        assertThat(names("{\"label\":[\"tier=back\"]}", inUse)).containsExactly("back-end");
        assertThat(names("{\"type\":[\"builtin\"]}", inUse)).containsExactlyInAnyOrder("bridge", "host", "none");
        assertThat(names("{\"driver\":[\"null\"]}", inUse)).containsExactly("none");
        assertThat(names("{\"dangling\":[\"true\"]}", inUse)).containsExactly("back-end");
        assertThat(names("{\"dangling\":[\"0\"]}", inUse)).containsExactlyInAnyOrder("bridge", "host", "none",
                "front-end");
        assertThat(names("{\"id\":[\"" + front.id().substring(3, 20) + "\"]}", inUse)).containsExactly("front-end");
        assertThatThrownBy(() -> names("{\"type\":[\"other\"]}", inUse)).hasMessage("invalid filter: 'type'='other'");
        assertThatThrownBy(() -> names("{\"dangling\":[\"maybe\"]}", inUse)).hasMessageStartingWith("invalid value "
                + "for filter 'dangling'");
        assertThatThrownBy(() -> names("{\"colour\":[\"red\"]}", inUse)).hasMessage("Invalid filter 'colour'");
        assertThatThrownBy(() -> names("[1]", inUse)).hasMessage("invalid filters: [1]");
    }

    @Test
    void pruneFiltersTakeTimesDurationsAndLabels() {
        registry.create(new NetworkCreate("old", null, null, List.of(), false, false, false, null,
                Map.of("keep", "yes")));
        Clock later = Clock.offset(clock, java.time.Duration.ofHours(2));

        assertThat(pruned("{\"until\":[\"1h\"]}", later)).contains("old");
        assertThat(pruned("{\"until\":[\"3h\"]}", later)).doesNotContain("old");
        assertThat(pruned("{\"until\":[\"2026-12-01T11:00:00Z\"]}", later)).contains("old");
        assertThat(pruned("{\"until\":[\"" + clock.instant().getEpochSecond() + "\"]}", later)).doesNotContain("old");
        assertThat(pruned("{\"label!\":[\"keep=yes\"]}", later)).doesNotContain("old");
        assertThat(pruned("{\"label\":[\"keep\"]}", later)).contains("old");
        assertThatThrownBy(() -> pruned("{\"until\":[\"soon\"]}", later)).hasMessageContaining("\"soon\"");
    }

    private List<String> names(String filters, Predicate<NetworkDefinition> inUse) {
        Predicate<NetworkDefinition> selected = NetworkFilters.list(NetworkFixture.JSON, filters, inUse);
        return registry.all().stream().map(NetworkRegistry.Network::definition).filter(selected)
                .map(NetworkDefinition::name).toList();
    }

    private List<String> pruned(String filters, Clock now) {
        Predicate<NetworkDefinition> selected = NetworkFilters.prune(NetworkFixture.JSON, filters, now);
        return registry.all().stream().map(NetworkRegistry.Network::definition)
                .filter(network -> !network.isBuiltin()).filter(selected).map(NetworkDefinition::name).toList();
    }

    private static NetworkCreate withSubnet(String name, String subnet) {
        return new NetworkCreate(name, null, null, List.of(new NetworkCreate.SubnetRequest(subnet, null, null, null)),
                false, false, false, null, null);
    }

    private String refusal(NetworkCreate request) {
        try {
            registry.create(request);
        } catch (BerthException e) {
            return e.kind() + " " + e.getMessage();
        }
        throw new AssertionError("created " + request);
    }
}
