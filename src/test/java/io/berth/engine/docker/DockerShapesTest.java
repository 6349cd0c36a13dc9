package io.berth.engine.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.berth.support.SpringJson;

/** The shapes read and write Docker's JSON as dockerd does (moby's Go types of API 1.47). */
class DockerShapesTest {

    private static final JsonMapper JSON = SpringJson.mapper();

    @Test
    void nothingGivenIsTheEmptyShape() {
        assertThat(JSON.readValue("{}", ContainerConfig.class)).isEqualTo(ContainerConfig.empty());
        assertThat(JSON.readValue("{}", HostConfig.class)).isEqualTo(HostConfig.empty());
        assertThat(JSON.readValue("{}", Resources.class)).isEqualTo(Resources.none());
        assertThat(JSON.readValue("{}", EndpointSettings.class)).isEqualTo(EndpointSettings.unconnected());
        // Go's zero values for fields given as null
        assertThat(JSON.readValue("{\"Tty\":null,\"Hostname\":null,\"Memory\":null}", ContainerCreateRequest.class)
                .config()).isEqualTo(ContainerConfig.empty());
    }

    @Test
    void theCreateBodyOfTheDockerCli() {
        ContainerCreateRequest body = JSON.readValue("""
                {"Hostname":"","User":"","Tty":false,"Env":null,"Cmd":"true","Image":"busybox","Labels":{"b":"2","a":"1"},
                 "Volumes":{"/data":{}},"ExposedPorts":{"80/tcp":{}},"Entrypoint":null,"SomethingNew":{"x":1},
                 "HostConfig":{"Binds":null,"NetworkMode":"none","PortBindings":{"80/tcp":[{"HostIp":"","HostPort":"8080"}]},
                   "RestartPolicy":{"Name":"no","MaximumRetryCount":0},"Memory":33554432,"PidsLimit":null,
                   "CapAdd":"NET_ADMIN","Dns":["1.1.1.1"],"ExtraHosts":["db:10.0.0.2"],"UTSMode":"","IOMaximumIOps":5},
                 "NetworkingConfig":{"EndpointsConfig":{"net":{"Aliases":["web"],
                   "IPAMConfig":{"IPv4Address":"10.1.0.5"},"MacAddress":"02:42:ac:11:00:02"}}}}""",
                ContainerCreateRequest.class);
        assertThat(body.config().cmd()).containsExactly("true");
        assertThat(body.config().image()).isEqualTo("busybox");
        assertThat(body.config().labels()).containsExactly(Map.entry("b", "2"), Map.entry("a", "1"));
        assertThat(body.config().volumes()).containsOnlyKeys("/data");
        assertThat(body.config().exposedPorts()).containsOnlyKeys("80/tcp");
        HostConfig hostConfig = body.hostConfig();
        assertThat(hostConfig.networkMode()).isEqualTo("none");
        assertThat(hostConfig.portBindings().get("80/tcp")).containsExactly(new PortBinding("", "8080"));
        assertThat(hostConfig.resources().memory()).isEqualTo(32L << 20);
        assertThat(hostConfig.resources().pidsLimit()).isNull();
        assertThat(hostConfig.resources().ioMaximumIOps()).isEqualTo(5);
        assertThat(hostConfig.capAdd()).containsExactly("NET_ADMIN");
        assertThat(hostConfig.dns()).containsExactly("1.1.1.1");
        assertThat(hostConfig.extraHosts()).containsExactly("db:10.0.0.2");
        EndpointSettings endpoint = body.networkingConfig().endpointsConfig().get("net");
        assertThat(endpoint.aliases()).containsExactly("web");
        assertThat(endpoint.ipamConfig().ipv4Address()).isEqualTo("10.1.0.5");
        assertThat(endpoint.macAddress()).isEqualTo("02:42:ac:11:00:02");
    }

    @Test
    void answersUseDockersNamesAndLeaveOutWhatGoOmits() {
        JsonNode hostConfig = JSON.valueToTree(HostConfig.empty().withDaemonDefaults());
        assertThat(hostConfig.get("UTSMode").asString()).isEmpty();
        assertThat(hostConfig.get("IOMaximumBandwidth").asLong()).isZero();
        assertThat(hostConfig.get("KernelMemoryTCP")).isNull(); // omitempty
        assertThat(hostConfig.get("Tmpfs")).isNull(); // omitempty
        assertThat(hostConfig.get("PidsLimit").isNull()).isTrue(); // a pointer: null
        assertThat(hostConfig.get("Memory").asLong()).isZero(); // Resources sit at HostConfig's own level
        assertThat(hostConfig.get("RestartPolicy").toString()).isEqualTo("{\"Name\":\"no\",\"MaximumRetryCount\":0}");
        assertThat(hostConfig.get("LogConfig").get("Type").asString()).isEqualTo("json-file");
        assertThat(hostConfig.get("Runtime").asString()).isEqualTo(HostConfig.RUNTIME);

        JsonNode config = JSON.valueToTree(ContainerConfig.empty());
        assertThat(config.has("Env")).isTrue();
        assertThat(config.get("Env").isNull()).isTrue();
        assertThat(config.has("Healthcheck")).isFalse();
        assertThat(config.has("StopSignal")).isFalse();
        assertThat(config.has("ArgsEscaped")).isFalse();

        ContainerInspect.State state = new ContainerInspect.State("exited", false, false, false, true, false, 0, 137,
                "", "t0", "t1", null);
        assertThat(JSON.valueToTree(state).has("OOMKilled")).isTrue();
        assertThat(JSON.valueToTree(state).has("Health")).isFalse();
        assertThat(JSON.writeValueAsString(ContainerWaitResponse.exited(3))).isEqualTo("{\"Error\":null,\"StatusCode\":3}");
        assertThat(JSON.writeValueAsString(new MountPoint("volume", "data", "/v", "/data", "local", "", true, "")))
                .isEqualTo("{\"Type\":\"volume\",\"Name\":\"data\",\"Source\":\"/v\",\"Destination\":\"/data\","
                        + "\"Driver\":\"local\",\"Mode\":\"\",\"RW\":true,\"Propagation\":\"\"}");
        assertThat(JSON.writeValueAsString(new Mount("tmpfs", null, "/cache", false, null, null, null,
                new Mount.TmpfsOptions(1024, 0, null))))
                .isEqualTo("{\"Type\":\"tmpfs\",\"Target\":\"/cache\",\"TmpfsOptions\":{\"SizeBytes\":1024}}");
    }

    @Test
    void eventsCarryTheOldFormatsFieldsFirst() {
        EventMessage message = new EventMessage("start", "abc", "busybox", "container", "start",
                new EventMessage.Actor("abc", Map.of("image", "busybox")), "local", 1, 1_000_000_000L);
        assertThat(JSON.writeValueAsString(message)).isEqualTo("{\"status\":\"start\",\"id\":\"abc\","
                + "\"from\":\"busybox\",\"Type\":\"container\",\"Action\":\"start\",\"Actor\":{\"ID\":\"abc\","
                + "\"Attributes\":{\"image\":\"busybox\"}},\"scope\":\"local\",\"time\":1,\"timeNano\":1000000000}");
        EventMessage volume = new EventMessage(null, null, null, "volume", "create",
                new EventMessage.Actor("data", Map.of()), "local", 1, 1_000_000_000L);
        assertThat(JSON.valueToTree(volume).has("status")).isFalse();
    }

    @Test
    void theStoredShapesCannotBeChangedInPlace() {
        ContainerConfig config = JSON.readValue("{\"Env\":[\"A=1\"],\"Labels\":{\"a\":\"1\"}}", ContainerConfig.class);
        HostConfig hostConfig = JSON.readValue("{\"PortBindings\":{\"80/tcp\":[{\"HostPort\":\"80\"}]}}",
                HostConfig.class);
        for (Runnable change : List.<Runnable>of(() -> config.env().add("B=2"), () -> config.labels().put("b", "2"),
                () -> hostConfig.portBindings().get("80/tcp").clear())) {
            org.assertj.core.api.Assertions.assertThatThrownBy(change::run)
                    .isInstanceOf(UnsupportedOperationException.class);
        }
    }
}
