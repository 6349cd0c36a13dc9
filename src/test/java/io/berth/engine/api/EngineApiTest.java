package io.berth.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.core.env.Environment;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.berth.support.BerthIntegrationTest;
import io.berth.support.EngineRequirement;
import io.berth.support.UnixHttp;

/** The Engine API on its unix socket, and nowhere else. */
class EngineApiTest extends BerthIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    private Environment environment;

    @LocalManagementPort
    private int managementPort;

    private Path socket;

    @BeforeEach
    void engineRuns() {
        EngineRequirement.assumeEngine();
        socket = Path.of(environment.getRequiredProperty("berth.engine.socket"));
    }

    @Test
    void pingAnswersAsDockerdDoes() throws IOException {
        UnixHttp.Response head = UnixHttp.request(socket, "HEAD", "/_ping");
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("Api-Version")).isEqualTo("1.47");
        assertThat(head.header("Docker-Experimental")).isEqualTo("false");
        assertThat(head.header("Ostype")).isEqualTo("linux");
        assertThat(head.header("Server")).isEqualTo("Docker/28.2.2 (linux)");
        assertThat(head.header("Cache-Control")).isEqualTo("no-cache, no-store, must-revalidate");
        assertThat(head.header("Pragma")).isEqualTo("no-cache");
        assertThat(head.header("Builder-Version")).isEqualTo("1");
        assertThat(head.header("Content-Type")).isEqualTo("text/plain;charset=UTF-8");

        UnixHttp.Response get = UnixHttp.request(socket, "GET", "/_ping");
        assertThat(get.status()).isEqualTo(200);
        assertThat(get.body()).isEqualTo("OK");
    }

    @Test
    void versionPrefixIsStripped() throws IOException {
        UnixHttp.Response ping = UnixHttp.request(socket, "GET", "/v1.44/_ping");
        assertThat(ping.status()).isEqualTo(200);
        assertThat(ping.body()).isEqualTo("OK");
        assertThat(UnixHttp.request(socket, "GET", "/v1.24/version").status()).isEqualTo(200);
        assertThat(UnixHttp.request(socket, "GET", "/v1.47/info").status()).isEqualTo(200);
    }

    @Test
    void versionsOutsideTheRangeAreRefusedAsDockerdWordsIt() throws IOException {
        UnixHttp.Response tooNew = UnixHttp.request(socket, "GET", "/v1.99/version");
        assertThat(tooNew.status()).isEqualTo(400);
        assertThat(json(tooNew).path("message").asString())
                .isEqualTo("client version 1.99 is too new. Maximum supported API version is 1.47");
        assertThat(tooNew.header("Api-Version")).isEqualTo("1.47");

        UnixHttp.Response tooOld = UnixHttp.request(socket, "GET", "/v1.12/version");
        assertThat(tooOld.status()).isEqualTo(400);
        assertThat(json(tooOld).path("message").asString())
                .startsWith("client version 1.12 is too old. Minimum supported API version is 1.24");
    }

    @Test
    void versionHasDockerdsKeys() throws IOException {
        UnixHttp.Response response = UnixHttp.request(socket, "GET", "/v1.47/version");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        JsonNode version = json(response);
        assertThat(version.path("ApiVersion").asString()).isEqualTo("1.47");
        assertThat(version.path("MinAPIVersion").asString()).isEqualTo("1.24");
        assertThat(version.path("Os").asString()).isEqualTo("linux");
        assertThat(version.path("Arch").asString()).isIn("amd64", "arm64");
        assertThat(version.path("KernelVersion").asString())
                .isEqualTo(Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim());
        assertThat(version.path("Platform").path("Name").asString()).isEqualTo("Berth Engine");
        assertThat(version.path("Components").get(0).path("Name").asString()).isEqualTo("Engine");
        assertThat(version.path("Components").get(0).path("Details").path("ApiVersion").asString()).isEqualTo("1.47");
        assertThat(version.has("Version")).isTrue();
    }

    @Test
    void infoHasDockerdsKeys() throws IOException {
        UnixHttp.Response response = UnixHttp.request(socket, "GET", "/info");
        assertThat(response.status()).isEqualTo(200);
        JsonNode info = json(response);
        assertThat(info.propertyNames()).contains("ID", "Containers", "ContainersRunning", "ContainersPaused",
                "ContainersStopped", "Images", "Driver", "DriverStatus", "KernelVersion", "OperatingSystem", "OSType",
                "Architecture", "NCPU", "MemTotal", "DockerRootDir", "Name", "ServerVersion", "CgroupDriver",
                "CgroupVersion", "Runtimes", "DefaultRuntime", "SecurityOptions", "Warnings", "Swarm");
        assertThat(info.path("OSType").asString()).isEqualTo("linux");
        assertThat(info.path("Architecture").asString()).isIn("x86_64", "aarch64");
        assertThat(info.path("NCPU").asInt()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(info.path("MemTotal").asLong()).isPositive();
        assertThat(info.path("DockerRootDir").asString()).isEqualTo(dataDir().toAbsolutePath().resolve("engine").toString());
        assertThat(info.path("CgroupDriver").asString()).isEqualTo("cgroupfs");
        assertThat(info.path("CgroupVersion").asString()).isIn("1", "2");
        assertThat(info.path("DefaultRuntime").asString()).isEqualTo("native");
        assertThat(info.path("Runtimes").has("native")).isTrue();
        assertThat(info.path("ID").asString()).isNotBlank();
        assertThat(info.path("Warnings").isArray()).isTrue();
    }

    @Test
    void hubPathsAreNotFoundOnTheSocket() throws IOException {
        for (String path : new String[] {"/v2/", "/v2/_catalog", "/token", "/api/v1/repositories", "/v1.44/v2/"}) {
            UnixHttp.Response response = UnixHttp.request(socket, "GET", path);
            assertThat(response.status()).as(path).isEqualTo(404);
            assertThat(json(response).path("message").asString()).as(path).isEqualTo("page not found");
        }
    }

    /** The POSTs also show that Spring Security's CSRF check (which would answer 403) stays off the socket. */
    @Test
    void unmappedEnginePathsAndMethodsAreDockerdsPageNotFound() throws IOException {
        for (String[] request : new String[][] {{"GET", "/v1.47/plugins/no-such-endpoint"}, {"DELETE", "/_ping"},
                {"POST", "/v1.44/version"}}) {
            UnixHttp.Response response = UnixHttp.request(socket, request[0], request[1]);
            assertThat(response.status()).as(request[0] + " " + request[1]).isEqualTo(404);
            assertThat(json(response).path("message").asString()).isEqualTo("page not found");
            assertThat(response.header("Api-Version")).isEqualTo("1.47");
        }
    }

    @Test
    void engineApiIsNotFoundOnTheHubPortNorOnTheManagementPort() throws Exception {
        for (int tcpPort : new int[] {port, managementPort}) {
            // Percent-encoded spellings too: the controllers would see /images/json and /_ping in them.
            for (String path : new String[] {"/_ping", "/v1.44/version", "/info", "/v1.44/_ping", "/version",
                    "/containers/json", "/images/json", "/events", "/%69mages/json", "/%5Fping", "/v1.44/%69nfo"}) {
                HttpResponse<String> response = HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + tcpPort + path)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as("port " + tcpPort + " " + path).isEqualTo(404);
                assertThat(response.headers().firstValue("Api-Version")).as(path).isEmpty();
            }
        }
    }

    @Test
    void socketIsRootsAndOnlyOwnerAndGroupMayConnect() throws IOException {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket, LinkOption.NOFOLLOW_LINKS)))
                .isEqualTo("rw-rw----");
        assertThat(Files.getAttribute(socket, "unix:uid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(0);
        assertThat(Files.getOwner(socket, LinkOption.NOFOLLOW_LINKS).getName()).isEqualTo("root");
    }

    @Test
    void healthSaysWhereTheEngineListens() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + managementPort + "/actuator/health/engine")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode health = JSON.readTree(response.body());
        assertThat(health.path("status").asString()).isEqualTo("UP");
        assertThat(health.path("details").path("socket").asString()).isEqualTo(socket.toAbsolutePath().toString());
        assertThat(health.path("details").path("storageDriver").asString()).isIn("overlay", "vfs");
        assertThat(health.path("details").path("cgroupVersion").asString()).isIn("1", "2");
    }

    @Test
    void engineErrorsAreDockerMessages() throws IOException {
        UnixHttp.Response response = UnixHttp.request(socket, "GET", "/events?filters=%7B%22nonsense%22%3A%5B%22x%22%5D%7D");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        assertThat(json(response)).isEqualTo(JSON.valueToTree(Map.of("message", "invalid filter 'nonsense'")));
    }

    private static JsonNode json(UnixHttp.Response response) {
        return JSON.readTree(response.body());
    }
}
