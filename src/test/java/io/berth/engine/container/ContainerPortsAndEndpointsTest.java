package io.berth.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.json.JsonMapper;

import io.berth.common.error.BerthException;
import io.berth.engine.docker.ContainerConfig;
import io.berth.engine.docker.HostConfig;
import io.berth.engine.docker.NetworkingConfig;
import io.berth.engine.network.ContainerNetwork;
import io.berth.engine.network.Ipv4;
import io.berth.engine.network.PortMapping;
import io.berth.engine.network.PublishedPort;
import io.berth.engine.runtime.spec.Namespace;
import io.berth.engine.runtime.spec.Spec;
import io.berth.engine.runtime.spec.SpecJson;
import io.berth.support.SpringJson;

/** What a container asks of the networks (ports, endpoints), how inspect shows it, and the spec's namespace. */
class ContainerPortsAndEndpointsTest {

    private static final JsonMapper JSON = SpringJson.mapper();

    @Test
    void portBindingsAndPublishAllBecomeMappings() {
        ContainerConfig config = JSON.readValue("{\"ExposedPorts\":{\"80/tcp\":{},\"53/udp\":{},\"443/tcp\":{}}}",
                ContainerConfig.class);
        HostConfig hostConfig = JSON.readValue("""
                {"PortBindings":{"443/tcp":[{"HostIp":"127.0.0.1","HostPort":"8443"}],
                 "9000":[{"HostIp":"","HostPort":""},{"HostIp":"0.0.0.0","HostPort":"9001"}]},
                 "PublishAllPorts":true}""", HostConfig.class);

        assertThat(PublishedPorts.mappings(config, hostConfig)).containsExactlyInAnyOrder(
                new PortMapping(443, "tcp", "127.0.0.1", 8443), new PortMapping(9000, "tcp", "", 0),
                new PortMapping(9000, "tcp", "", 9001), new PortMapping(80, "tcp", "", 0),
                new PortMapping(53, "udp", "", 0));
        assertThat(PublishedPorts.mappings(config, JSON.readValue("{}", HostConfig.class))).isEmpty();
    }

    @Test
    void badPortsAreRefusedAsDockerdRefusesThem() {
        ContainerConfig config = JSON.readValue("{}", ContainerConfig.class);
        assertThatThrownBy(() -> PublishedPorts.mappings(config, JSON.readValue(
                "{\"PortBindings\":{\"http/tcp\":[{\"HostPort\":\"80\"}]}}", HostConfig.class)))
                .isInstanceOf(BerthException.class).hasMessage("invalid port specification: \"http/tcp\"");
        assertThatThrownBy(() -> PublishedPorts.mappings(config, JSON.readValue(
                "{\"PortBindings\":{\"80/tcp\":[{\"HostPort\":\"8000-8010\"}]}}", HostConfig.class)))
                .isInstanceOf(BerthException.class).hasMessageContaining("host port ranges are not supported");
    }

    @Test
    void inspectShowsPublishedPortsAndExposedOnesAsNull() {
        ContainerConfig config = JSON.readValue("{\"ExposedPorts\":{\"80/tcp\":{},\"53/udp\":{}}}",
                ContainerConfig.class);
        ContainerNetwork live = new ContainerNetwork("c", "web", Path.of("/run/x"), List.of(), List.of(
                new PublishedPort("tcp", new Ipv4(0), 8080, Ipv4.parse("10.1.0.2"), 80)), List.of());

        String json = JSON.writeValueAsString(PublishedPorts.inspect(config, live));

        assertThat(json).isEqualTo("{\"53/udp\":null,\"80/tcp\":[{\"HostIp\":\"0.0.0.0\",\"HostPort\":\"8080\"}]}");
        assertThat(PublishedPorts.summary(config, live)).extracting(p -> p.ip() + " " + p.privatePort() + " "
                + p.publicPort() + " " + p.type()).containsExactly("null 53 0 udp", "0.0.0.0 80 8080 tcp");
        assertThat(PublishedPorts.inspect(config, null)).isEmpty();
    }

    @Test
    void theModesNetworkComesFirstAmongTheEndpoints() {
        NetworkingConfig asked = JSON.readValue("{\"EndpointsConfig\":{\"other\":{},\"mynet\":{\"Aliases\":[\"db\"]}}}",
                NetworkingConfig.class);

        NetworkingConfig endpoints = ContainerNetworking.endpoints(hostConfig("mynet"), asked);

        assertThat(endpoints.endpointsConfig().keySet()).containsExactly("mynet", "other");
        assertThat(endpoints.endpointsConfig().get("mynet").aliases()).containsExactly("db");
        assertThat(ContainerNetworking.endpoints(hostConfig("default"), null).endpointsConfig().keySet())
                .containsExactly("bridge");
        assertThat(ContainerNetworking.endpoints(hostConfig("none"), null).endpointsConfig()).isEmpty();
        assertThat(ContainerNetworking.endpoints(hostConfig("host"), null).endpointsConfig()).isEmpty();
        assertThat(ContainerNetworking.endpoints(hostConfig("container:abc"), null).endpointsConfig()).isEmpty();
    }

    @Test
    void theSpecJoinsTheNamespaceInPlaceAndIsLeftAloneWhenItDoes(@TempDir Path bundle) throws Exception {
        Spec spec = SpecJson.fromJson("""
                {"ociVersion":"1.2.0","root":{"path":"rootfs"},"process":{"args":["sh"],"cwd":"/"},
                 "linux":{"namespaces":[{"type":"mount"},{"type":"network"},{"type":"pid"}]}}""");
        SpecJson.write(spec, bundle);

        ContainerNetworking.joinNamespace(bundle, Path.of("/run/berth/netns/abc"));
        assertThat(SpecJson.read(bundle).linux().namespaces()).containsExactly(Namespace.of("mount"),
                new Namespace("network", "/run/berth/netns/abc"), Namespace.of("pid"));
        long modified = Files.getLastModifiedTime(bundle.resolve("config.json")).toMillis();
        String before = Files.readString(bundle.resolve("config.json"));

        ContainerNetworking.joinNamespace(bundle, Path.of("/run/berth/netns/abc"));
        ContainerNetworking.joinNamespace(bundle, null);
        assertThat(Files.readString(bundle.resolve("config.json"))).isEqualTo(before);
        assertThat(Files.getLastModifiedTime(bundle.resolve("config.json")).toMillis()).isEqualTo(modified);
    }

    private static HostConfig hostConfig(String mode) {
        return JSON.readValue("{\"NetworkMode\":\"" + mode + "\"}", HostConfig.class);
    }
}
