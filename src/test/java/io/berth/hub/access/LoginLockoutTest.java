package io.berth.hub.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.berth.support.BerthIntegrationTest;
import io.berth.support.Commands;
import io.berth.support.DockerCli;
import io.berth.support.EngineRequirement;
import io.berth.support.OciImages;
import io.berth.support.RegistryClient;
import io.berth.support.RequiredTools;
import io.berth.support.RestApi;
import io.berth.support.Skopeo;
import io.berth.support.TestAccounts;
import io.berth.support.TestAccounts.User;

/**
 * Lockout is no weapon (issue 13): wrong passwords hold off whoever sends them, not the account. Each client here
 * comes from an address of its own, as from machines of their own: {@code curl --interface 127.a.b.c} (every
 * address of 127/8 is this machine's loopback), so Berth sees the addresses a proxy-less deployment would. Tools that
 * cannot choose their address (skopeo, and docker, whose Engine asks the token server) sign in from 127.0.0.1, after
 * guesses from there.
 *
 * <p>The shared test context raises the per-address limit (every other test connects from 127.0.0.1); the limits
 * per account and address (5) and per account (10) are the defaults.
 */
class LoginLockoutTest extends BerthIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A /16 of loopback addresses of this run's own, so that no other run's counters meet these. */
    private final String net = "127." + ThreadLocalRandom.current().nextInt(1, 255) + "."
            + ThreadLocalRandom.current().nextInt(1, 255) + ".";

    @TempDir
    Path work;

    @Test
    void aGuesserIsHeldOffWhileTheOwnerSignsInFromElsewhereAndTokensWorkEverywhere() {
        User owner = TestAccounts.signUp(baseUri(), "owner");
        String token = createToken(owner);
        String home = net + "10";
        assertThat(tokenFrom(home, owner.name(), owner.password()).status()).as("the owner at home").isEqualTo(200);

        String guesser = net + "66";
        guess(guesser, owner.name(), 5);
        Answer heldOff = tokenFrom(guesser, owner.name(), owner.password());
        assertThat(heldOff.status()).as("the guesser, even with the right password").isEqualTo(429);
        assertThat(heldOff.retryAfter()).isBetween(1L, 30L);

        assertThat(tokenFrom(home, owner.name(), owner.password()).status()).isEqualTo(200);
        assertThat(tokenFrom(net + "11", owner.name(), owner.password()).status())
                .as("the owner at an address never seen: one guesser is far from the account's budget").isEqualTo(200);

        guess(net + "67", owner.name(), 5); // the account's budget of 10 is spent, over two addresses
        assertThat(tokenFrom(net + "68", owner.name(), owner.password()).status())
                .as("a third address of the botnet, even with the right password").isEqualTo(429);
        assertThat(tokenFrom(home, owner.name(), owner.password()).status())
                .as("where the owner signs in").isEqualTo(200);
        assertThat(tokenFrom(net + "11", owner.name(), owner.password()).status())
                .as("where the owner signed in a moment ago").isEqualTo(200);

        for (String address : List.of(guesser, net + "68")) {
            Answer withToken = tokenFrom(address, owner.name(), token);
            assertThat(withToken.status()).as("an access token as the password, from %s", address).isEqualTo(200);
            assertThat(withToken.json().get("token").asString()).isNotBlank();
        }
        Answer api = curl(net + "68", "-H", "Authorization: Bearer " + token, baseUri() + "/api/v1/user");
        assertThat(api.status()).as("the token on the REST API").isEqualTo(200);
        assertThat(api.json().get("username").asString()).isEqualTo(owner.name());
    }

    @Test
    void theAdministratorIsNotLockedOutByAStranger() {
        String home = net + "20";
        assertThat(tokenFrom(home, ADMIN, ADMIN_PASSWORD).status()).isEqualTo(200);
        String token = createToken(new User(ADMIN, ADMIN_PASSWORD));
        String stranger = net + "99";

        guess(stranger, ADMIN, 5);

        assertThat(tokenFrom(stranger, ADMIN, ADMIN_PASSWORD).status()).isEqualTo(429);
        assertThat(tokenFrom(home, ADMIN, ADMIN_PASSWORD).status()).isEqualTo(200);
        assertThat(tokenFrom(stranger, ADMIN, token).status()).isEqualTo(200);
        RestApi password = RestApi.basic(baseUri(), ADMIN, ADMIN_PASSWORD);
        password.get("/api/v1/user/tokens").expect(200).json().forEach(created -> {
            if (created.get("name").asString().equals(tokenName())) {
                password.call("DELETE", "/api/v1/user/tokens/" + created.get("id").asLong(), null).expect(204);
            }
        });
    }

    @Test
    void skopeoLogsInAndPushesWithATokenWhileItsAddressIsHeldOffThePassword() {
        User owner = TestAccounts.signUp(baseUri(), "ci");
        String token = createToken(owner);
        guessFromThisMachine(owner.name()); // from 127.0.0.1, where skopeo runs
        Skopeo skopeo = new Skopeo(work.resolve("skopeo"));

        Commands.Result refused = skopeo.login(registryHost(), owner.name(), owner.password()).run().assertFailure();
        assertThat(refused.output()).containsIgnoringCase("too many");

        skopeo.login(registryHost(), owner.name(), token).succeed();
        OciImages.Layout layout = OciImages.writeLayout(work.resolve("layout"), "1", OciImages.busybox(true));
        skopeo.run("copy", "--dest-tls-verify=false", layout.reference(),
                "docker://" + registryHost() + "/" + owner.name() + "/app:1");
        assertThat(RestApi.basic(baseUri(), owner.name(), token)
                .get("/api/v1/repositories/" + owner.name() + "/app/-/tags").expect(200).json().get("count").asLong())
                .isEqualTo(1);
    }

    @Test
    void dockerLoginWithATokenWorksAndPushesWhileItsAddressIsHeldOffThePassword() {
        EngineRequirement.assumeEngine();
        User owner = TestAccounts.signUp(baseUri(), "docker");
        String token = createToken(owner);
        String base = "lockout/base-" + UUID.randomUUID().toString().substring(0, 8);
        registry().push(base, "1", OciImages.busybox(true));
        guessFromThisMachine(owner.name());
        String pushed = registryHost() + "/" + owner.name() + "/app:1";
        try (DockerCli docker = DockerCli.against(engineSocket())) {
            docker.command("pull", registryHost() + "/" + base + ":1").succeed();
            docker.command("tag", registryHost() + "/" + base + ":1", pushed).succeed();
            try {
                // The Engine asks the token server from this machine, where the guesses came from.
                Commands.Result refused = docker.command("login", "-u", owner.name(), "-p", owner.password(),
                        registryHost()).run().assertFailure();
                assertThat(refused.output()).contains("toomanyrequests: too many failed sign-ins");

                assertThat(docker.command("login", "-u", owner.name(), "-p", token, registryHost()).succeed().stdout())
                        .contains("Login Succeeded");
                docker.command("push", pushed).succeed();
            } finally {
                docker.command("rmi", pushed, registryHost() + "/" + base + ":1").run();
            }
        }
        assertThat(RestApi.basic(baseUri(), owner.name(), token)
                .get("/api/v1/repositories/" + owner.name() + "/app/-/tags").expect(200).json().get("count").asLong())
                .isEqualTo(1);
    }

    // ---- helpers

    private record Answer(int status, String body, long retryAfter) {

        JsonNode json() {
            return JSON.readTree(body);
        }
    }

    private String createToken(User user) {
        return RestApi.basic(baseUri(), user.name(), user.password()).call("POST", "/api/v1/user/tokens",
                Map.of("name", tokenName(), "scopes", List.of("read", "write"))).expect(201).json().get("token").asString();
    }

    private String tokenName() {
        return "lockout test " + net;
    }

    /** Five wrong passwords for {@code user} from 127.0.0.1, enough to hold that address off the account. */
    private void guessFromThisMachine(String user) {
        RegistryClient guesser = RegistryClient.unauthenticated(baseUri());
        for (int i = 0; i < 5; i++) {
            assertThat(guesser.send("GET", "/token?service=berth", null,
                    "Authorization", RegistryClient.basic(user, "guess " + i)).statusCode()).isEqualTo(401);
        }
    }

    /** {@code times} wrong passwords for {@code user} from {@code address}, each refused as such (401). */
    private void guess(String address, String user, int times) {
        for (int i = 0; i < times; i++) {
            assertThat(tokenFrom(address, user, "guess number " + i).status()).as("guess %d from %s", i, address)
                    .isEqualTo(401);
        }
    }

    /** {@code GET /token} with basic credentials, from {@code address}, as {@code docker login} asks it. */
    private Answer tokenFrom(String address, String user, String secret) {
        return curl(address, "-u", user + ":" + secret,
                baseUri() + "/token?service=berth&scope=repository:" + user + "/app:pull,push");
    }

    private Answer curl(String address, String... arguments) {
        Path curl = RequiredTools.require("curl", "curl");
        List<String> command = new ArrayList<>(List.of(curl.toString(), "--silent", "--show-error", "--max-time", "60",
                "--interface", address, "--dump-header", "-", "--write-out", "\n%{http_code}"));
        command.addAll(List.of(arguments));
        String out = Commands.of(command).timeout(Duration.ofMinutes(2)).run().assertSuccess().stdout();
        int mark = out.lastIndexOf('\n');
        String response = out.substring(0, mark);
        int bodyStart = response.indexOf("\r\n\r\n");
        String headers = response.substring(0, bodyStart);
        long retryAfter = headers.lines().filter(line -> line.regionMatches(true, 0, "Retry-After:", 0, 12))
                .map(line -> Long.parseLong(line.substring(12).strip())).findFirst().orElse(-1L);
        return new Answer(Integer.parseInt(out.substring(mark + 1).strip()), response.substring(bodyStart + 4),
                retryAfter);
    }
}
