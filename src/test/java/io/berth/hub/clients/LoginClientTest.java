package io.berth.hub.clients;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import io.berth.hub.access.account.AccessTokenService;
import io.berth.hub.access.account.AccountService;
import io.berth.hub.access.account.Authenticator;
import io.berth.hub.access.account.CreatedToken;
import io.berth.hub.access.caller.AccessTokenScope;
import io.berth.hub.access.caller.Caller;
import io.berth.support.Commands;
import io.berth.support.OciImages;
import io.berth.support.OciImages.Image;
import io.berth.support.OciImages.Layout;
import io.berth.support.Podman;
import io.berth.support.Skopeo;

/**
 * {@code skopeo login} and {@code podman login} against Berth, as a user starts: log in, push, pull; without a login
 * nothing can be pushed, while a public repository still pulls. Every client keeps its credentials in the test's own
 * auth file (see {@code ContainersIsolation}), so a login here never logs the machine in, nor the other way round.
 *
 * <p>Images go to repositories under {@code admin/}, the administrator's own namespace; new repositories are public.
 * Personal access tokens work as passwords, within their scopes, until revoked.
 */
class LoginClientTest extends RealClientTest {

    @TempDir
    Path work;

    @Autowired
    AccountService accounts;

    @Autowired
    AccessTokenService accessTokens;

    @Autowired
    Authenticator authenticator;

    @Autowired
    JdbcTemplate jdbc;

    private Podman podman;

    @AfterEach
    void removePodmanStorage() {
        if (podman != null) {
            podman.close();
        }
    }

    @Test
    void skopeoLoginThenCopyPushesWithTheStoredCredentials() {
        Skopeo skopeo = new Skopeo(work.resolve("skopeo"));
        Image image = OciImages.busybox(true);
        Layout source = OciImages.writeLayout(work.resolve("source"), "latest", image);
        String remote = "docker://" + registryAddress() + "/admin/skopeo-login:1";

        skopeo.login(registryAddress(), ADMIN, ADMIN_PASSWORD).succeed();
        assertThat(read(skopeo.authFile())).as("the test's private auth file").contains(registryAddress());
        skopeo.run("copy", "--dest-tls-verify=false", "--preserve-digests", source.reference(), remote);

        assertThat(get("/v2/admin/skopeo-login/manifests/1").headers().firstValue("Docker-Content-Digest"))
                .hasValue(image.manifest().digest());

        skopeo.logout(registryAddress()).succeed();
        Commands.Result refused = skopeo.command("copy", "--dest-tls-verify=false", source.reference(),
                "docker://" + registryAddress() + "/admin/skopeo-login:after-logout").run().assertFailure();
        assertRefusedForLackOfCredentials(refused);
        assertThat(get("/v2/admin/skopeo-login/manifests/after-logout").statusCode()).isEqualTo(404);
    }

    @Test
    void skopeoLoginWithAWrongPasswordFailsAndStoresNothing() {
        Skopeo skopeo = new Skopeo(work.resolve("skopeo"));

        Commands.Result result = skopeo.login(registryAddress(), ADMIN, "not-" + ADMIN_PASSWORD).run().assertFailure();

        assertThat(result.output().toLowerCase()).containsAnyOf("invalid username/password", "unauthorized");
        assertThat(read(skopeo.authFile())).doesNotContain(registryAddress());
    }

    @Test
    void podmanLoginPushPullThenLogoutAndPushIsRefused() {
        podman = Podman.isolated();
        Image image = OciImages.busybox(true);
        Layout layout = OciImages.writeLayout(work.resolve("layout"), "latest", image);
        String imageId = podman.run("pull", layout.reference()).lastLine();
        String repository = registryAddress() + "/admin/podman-login";
        podman.run("tag", imageId, repository + ":1");

        podman.login(registryAddress(), ADMIN, ADMIN_PASSWORD).succeed();
        assertThat(read(podman.authFile())).as("podman's private auth file").contains(registryAddress());
        podman.run("push", "--tls-verify=false", repository + ":1");
        // -f: the image has two names (the layout's and the registry's); remove it under both.
        podman.run("rmi", "-f", imageId);
        assertThat(podman.run("pull", "--tls-verify=false", repository + ":1").lastLine())
                .as("image ID of the pulled image").isEqualTo(image.config().hex());

        podman.logout(registryAddress()).succeed();
        podman.run("tag", imageId, repository + ":after-logout");
        Commands.Result refused = podman.command("push", "--tls-verify=false", repository + ":after-logout")
                .run().assertFailure();

        assertRefusedForLackOfCredentials(refused);
        assertThat(get("/v2/admin/podman-login/manifests/after-logout").statusCode()).isEqualTo(404);
    }

    @Test
    void anonymousClientsPullAPublicRepositoryButCannotPushToIt() {
        Image image = OciImages.busybox(true);
        Layout source = OciImages.writeLayout(work.resolve("source"), "latest", image);
        String remote = "docker://" + registryAddress() + "/admin/public:1";
        new Skopeo(work.resolve("admin")).withCredentials(ADMIN, ADMIN_PASSWORD)
                .run("copy", "--dest-tls-verify=false", "--preserve-digests", source.reference(), remote);
        // A client of its own: no credentials, no auth file, no blob cache from the push above.
        Skopeo anonymous = new Skopeo(work.resolve("anonymous"));

        String inspected = anonymous.run("inspect", "--tls-verify=false", "--format", "{{.Digest}}", remote)
                .stdout().strip();
        Path pulled = work.resolve("pulled");
        anonymous.run("copy", "--src-tls-verify=false", remote, "oci:" + pulled + ":latest");
        Commands.Result refused = anonymous.command("copy", "--dest-tls-verify=false", source.reference(),
                "docker://" + registryAddress() + "/admin/public:anonymous").run().assertFailure();

        assertThat(inspected).isEqualTo(image.manifest().digest());
        assertThat(OciImages.taggedDigest(pulled, "latest")).isEqualTo(image.manifest().digest());
        assertRefusedForLackOfCredentials(refused);
        assertThat(read(anonymous.authFile())).as("nothing logged the anonymous client in")
                .doesNotContain(registryAddress());
    }

    @Test
    void personalAccessTokensArePodmanPasswordsLimitedToTheirScopesAndDieWhenRevoked() {
        String user = "patuser" + UUID.randomUUID().toString().substring(0, 8);
        accounts.createUser(user, user + "@example.com", "password-" + UUID.randomUUID(), false);
        Caller caller = authenticator.caller(user);
        CreatedToken pushToken = accessTokens.create(caller, "ci", EnumSet.of(AccessTokenScope.WRITE), null);
        CreatedToken pullToken = accessTokens.create(caller, "laptop", EnumSet.of(AccessTokenScope.READ), null);
        podman = Podman.isolated();
        Image image = OciImages.busybox(true);
        String imageId = podman.run("pull", OciImages.writeLayout(work.resolve("layout"), "latest", image).reference()).lastLine();
        String repository = registryAddress() + "/" + user + "/app";
        podman.run("tag", imageId, repository + ":1");
        podman.run("tag", imageId, repository + ":2");

        podman.login(registryAddress(), user, pushToken.secret()).succeed();
        podman.run("push", "--tls-verify=false", repository + ":1");
        podman.logout(registryAddress()).succeed();
        jdbc.update("UPDATE repository SET visibility = 'PRIVATE' WHERE name = ?", user + "/app");

        podman.login(registryAddress(), user, pullToken.secret()).succeed();
        podman.run("rmi", "-f", imageId);
        assertThat(podman.run("pull", "--tls-verify=false", repository + ":1").lastLine())
                .as("a read token pulls its owner's private repository").isEqualTo(image.config().hex());
        podman.run("tag", image.config().hex(), repository + ":2");
        assertRefusedForLackOfCredentials(podman.command("push", "--tls-verify=false", repository + ":2").run().assertFailure());
        assertThat(get("/v2/" + user + "/app/manifests/2").statusCode()).as("the read token pushed nothing").isEqualTo(404);
        podman.logout(registryAddress()).succeed();

        accessTokens.revoke(caller, pushToken.token().getId());
        Commands.Result revoked = podman.login(registryAddress(), user, pushToken.secret()).run().assertFailure();
        assertThat(revoked.output().toLowerCase()).containsAnyOf("unauthorized", "invalid username/password");
    }

    /** containers/image words a refused push differently per step (token, blob, manifest) and version. */
    private static void assertRefusedForLackOfCredentials(Commands.Result result) {
        assertThat(result.output().toLowerCase())
                .containsAnyOf("unauthorized", "denied", "authentication required");
    }

    private static String read(Path file) {
        return new String(OciImages.read(file), StandardCharsets.UTF_8);
    }
}
