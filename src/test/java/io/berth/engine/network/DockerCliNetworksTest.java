package io.berth.engine.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;

import tools.jackson.databind.JsonNode;

import io.berth.support.BerthIntegrationTest;
import io.berth.support.Commands;
import io.berth.support.DockerCli;
import io.berth.support.EngineRequirement;
import io.berth.support.RequiredTools;

/**
 * {@code docker network ls / create / inspect / rm / prune} from the real docker CLI against the Engine's socket, with
 * dockerd's answers and words. Only definitions: no container joins a network here.
 */
class DockerCliNetworksTest extends BerthIntegrationTest {

    @Autowired
    private Environment environment;

    private DockerCli cli;
    private String suffix;

    @BeforeEach
    void setUp() {
        EngineRequirement.assumeEngine();
        cli = DockerCli.against(Path.of(environment.getRequiredProperty("berth.engine.socket")));
        suffix = UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void removeNetworks() {
        if (cli != null) {
            String left = cli.command("network", "ls", "-q", "--filter", "label=test=" + suffix).run().stdout().strip();
            if (!left.isEmpty()) {
                cli.command(("network rm " + left.replace('\n', ' ')).split(" ")).run();
            }
            cli.close();
        }
    }

    @Test
    void theBuiltInNetworksAreListedAsDockerdListsThem() {
        String listed = docker("network", "ls", "--filter", "type=builtin", "--format",
                "{{.Name}} {{.Driver}} {{.Scope}}").stdout();

        assertThat(listed.lines().sorted()).containsExactly("bridge bridge local", "host host local",
                "none null local");
        JsonNode bridge = inspect("bridge");
        assertThat(bridge.path("IPAM").path("Config").get(0).path("Gateway").asString()).matches("\\d+(\\.\\d+){3}");
        assertThat(bridge.path("Options").path("com.docker.network.bridge.default_bridge").asString()).isEqualTo("true");
        assertThat(bridge.path("Options").path("com.docker.network.bridge.name").asString()).isNotEqualTo("docker0");
        assertThat(docker("network", "inspect", "bridge", "--format", "{{(index .IPAM.Config 0).Gateway}}").stdout()
                .strip()).isEqualTo(bridge.path("IPAM").path("Config").get(0).path("Gateway").asString());
    }

    @Test
    void aNetworkIsCreatedInspectedFilteredAndRemoved() {
        String name = "net-" + suffix;
        String id = docker("network", "create", "--subnet", "10.251.0.0/16", "--ip-range", "10.251.7.0/24",
                "--gateway", "10.251.0.254", "--internal", "--label", "test=" + suffix, "--label", "tier=back",
                name).stdout().strip();

        assertThat(id).matches("[0-9a-f]{64}");
        JsonNode network = inspect(name);
        assertThat(network.path("Id").asString()).isEqualTo(id);
        assertThat(network.path("Driver").asString()).isEqualTo("bridge");
        assertThat(network.path("Scope").asString()).isEqualTo("local");
        assertThat(network.path("Internal").asBoolean()).isTrue();
        assertThat(network.path("EnableIPv6").asBoolean()).isFalse();
        assertThat(network.path("Labels").path("tier").asString()).isEqualTo("back");
        JsonNode ipam = network.path("IPAM").path("Config").get(0);
        assertThat(ipam.path("Subnet").asString()).isEqualTo("10.251.0.0/16");
        assertThat(ipam.path("IPRange").asString()).isEqualTo("10.251.7.0/24");
        assertThat(ipam.path("Gateway").asString()).isEqualTo("10.251.0.254");
        assertThat(network.path("Containers").isObject()).isTrue();

        assertThat(names("--filter", "type=custom", "--filter", "label=test=" + suffix)).containsExactly(name);
        assertThat(names("--filter", "label=tier=back", "--filter", "name=" + suffix.substring(2))).contains(name);
        assertThat(names("--filter", "label=tier=front")).doesNotContain(name);
        assertThat(names("--filter", "dangling=true")).contains(name).doesNotContain("bridge");
        assertThat(names("--filter", "id=" + id.substring(0, 10))).containsExactly(name);

        assertThat(docker("network", "rm", id.substring(0, 12)).stdout().strip()).isEqualTo(id.substring(0, 12));
        assertThat(cli.command("network", "inspect", name).run().assertFailure().stderr())
                .contains("network " + name + " not found");
    }

    @Test
    void aNetworkWithoutASubnetGetsOneThatClashesWithNothing() {
        String first = "auto-a-" + suffix;
        String second = "auto-b-" + suffix;
        docker("network", "create", "--label", "test=" + suffix, first);
        docker("network", "create", "--label", "test=" + suffix, second);

        String a = inspect(first).path("IPAM").path("Config").get(0).path("Subnet").asString();
        String b = inspect(second).path("IPAM").path("Config").get(0).path("Subnet").asString();
        String bridge = inspect("bridge").path("IPAM").path("Config").get(0).path("Subnet").asString();
        assertThat(List.of(a, b)).doesNotHaveDuplicates().doesNotContain(bridge);
        assertThat(Cidr.parse(a).overlaps(Cidr.parse(b))).isFalse();
    }

    @Test
    void refusalsAreWordedAsDockerdWordsThem() {
        String name = "dup-" + suffix;
        docker("network", "create", "--label", "test=" + suffix, name);

        assertThat(cli.command("network", "create", name).run().assertFailure().stderr())
                .contains("network with name " + name + " already exists");
        assertThat(cli.command("network", "create", "host").run().assertFailure().stderr())
                .contains("operation is not permitted on predefined host network");
        assertThat(cli.command("network", "rm", "bridge").run().assertFailure().stderr())
                .contains("bridge is a pre-defined network and cannot be removed");
        assertThat(cli.command("network", "rm", "nope-" + suffix).run().assertFailure().stderr())
                .contains("network nope-" + suffix + " not found");
        assertThat(cli.command("network", "create", "--driver", "overlay2", "x-" + suffix).run().assertFailure()
                .stderr()).contains("plugin not found");
        assertThat(cli.command("network", "create", "--subnet", "10.252.0.1/16", "y-" + suffix).run()
                .assertFailure().stderr()).contains("invalid subnet 10.252.0.1/16: it should be 10.252.0.0/16");
        assertThat(cli.command("network", "create", "--ipv6", "z-" + suffix).run().assertFailure().stderr())
                .contains("IPv4 only");
        assertThat(cli.command("network", "ls", "--filter", "color=red").run().assertFailure().stderr())
                .contains("Invalid filter 'color'");
    }

    @Test
    void pruneRemovesUnusedUserNetworksOnly() {
        String keep = "keep-" + suffix;
        String drop = "drop-" + suffix;
        docker("network", "create", "--label", "test=" + suffix, "--label", "keep=yes", keep);
        docker("network", "create", "--label", "test=" + suffix, drop);

        String output = docker("network", "prune", "-f", "--filter", "label=test=" + suffix, "--filter",
                "label!=keep=yes").stdout();

        assertThat(output).contains("Deleted Networks:").contains(drop).doesNotContain(keep);
        assertThat(names("--filter", "label=test=" + suffix)).containsExactly(keep);
        assertThat(names()).contains("bridge", "host", "none");
    }

    @Test
    void theApiAnswersWithDockerdsStatusesAndShapes() {
        String name = "api-" + suffix;
        docker("network", "create", "--label", "test=" + suffix, name);

        assertThat(api("GET", "/networks/nope-" + suffix, null))
                .isEqualTo("404 {\"message\":\"network nope-" + suffix + " not found\"}");
        assertThat(api("POST", "/networks/create", "{\"Name\":\"" + name + "\",\"CheckDuplicate\":true}"))
                .isEqualTo("409 {\"message\":\"network with name " + name + " already exists\"}");
        assertThat(api("POST", "/networks/create", "{\"Name\":\"none\"}")).startsWith("403 ");
        assertThat(api("DELETE", "/networks/host", null)).startsWith("403 ");
        assertThat(api("POST", "/networks/create", "{\"Name\":")).startsWith("400 ");
        assertThat(api("POST", "/networks/" + name + "/connect", "{\"Container\":\"c-" + suffix + "\"}"))
                .isEqualTo("404 {\"message\":\"No such container: c-" + suffix + "\"}");

        String listed = api("GET", "/networks?filters=%7B%22name%22%3A%5B%22" + name + "%22%5D%7D", null);
        assertThat(listed).startsWith("200 ");
        JsonNode entry = NetworkFixture.JSON.readTree(listed.substring(4)).get(0);
        assertThat(entry.propertyNames()).containsExactly("Name", "Id", "Created", "Scope", "Driver", "EnableIPv6",
                "IPAM", "Internal", "Attachable", "Ingress", "ConfigFrom", "ConfigOnly", "Containers", "Options",
                "Labels");
        assertThat(entry.path("IPAM").propertyNames()).containsExactly("Driver", "Options", "Config");
        assertThat(entry.path("IPAM").path("Options").isNull()).isTrue();
        assertThat(entry.path("ConfigFrom").path("Network").asString()).isEmpty();
        assertThat(api("POST", "/networks/prune?filters=%7B%22label%22%3A%5B%22test%3Dnothing%22%5D%7D", null))
                .isEqualTo("200 {\"NetworksDeleted\":null}");
    }

    /** One request with curl over the Engine's socket: the status, a space, the body. */
    private String api(String method, String path, String body) {
        RequiredTools.require("curl", "curl");
        List<String> command = new java.util.ArrayList<>(List.of("curl", "-s", "-X", method, "-w", "%{http_code}",
                "-o", "/dev/stderr", "--unix-socket", environment.getRequiredProperty("berth.engine.socket")));
        if (body != null) {
            command.addAll(List.of("-H", "Content-Type: application/json", "-d", body));
        }
        command.add("http://engine/v1.47" + path);
        Commands.Result result = Commands.of(command).run().assertSuccess();
        return result.stdout().strip() + " " + result.stderr().strip();
    }

    private List<String> names(String... filters) {
        String[] arguments = new String[filters.length + 4];
        arguments[0] = "network";
        arguments[1] = "ls";
        System.arraycopy(filters, 0, arguments, 2, filters.length);
        arguments[filters.length + 2] = "--format";
        arguments[filters.length + 3] = "{{.Name}}";
        return docker(arguments).stdout().lines().toList();
    }

    private JsonNode inspect(String network) {
        return NetworkFixture.JSON.readTree(docker("network", "inspect", network).stdout()).get(0);
    }

    private Commands.Result docker(String... arguments) {
        return cli.command(arguments).succeed();
    }
}
