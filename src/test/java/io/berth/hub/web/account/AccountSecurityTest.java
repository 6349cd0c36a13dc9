package io.berth.hub.web.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import tools.jackson.databind.JsonNode;

import io.berth.support.BerthIntegrationTest;
import io.berth.support.PageClient;
import io.berth.support.RegistryClient;
import io.berth.support.RestApi;
import io.berth.support.TestAccounts;
import io.berth.support.TestAccounts.User;

/**
 * Account security over the REST API, as issue 13 found it broken: a password change ends the account's other
 * sessions and its docker logins made with the password, and asks for the current password; a deleted account leaves
 * nothing behind and its name is not given out again; personal access tokens, whatever their scopes, change nothing
 * of the account.
 */
class AccountSecurityTest extends BerthIntegrationTest {

    @Autowired
    JdbcTemplate jdbc;

    private static final String NEW_PASSWORD = "a brand new password";

    // ---- password changes

    @Test
    void changingOnesOwnPasswordTakesTheCurrentOneAndEndsTheOtherSessionsAndPasswordLogins() {
        User user = TestAccounts.signUp(baseUri(), "pw");
        RestApi here = RestApi.session(baseUri(), user.name(), user.password());
        RestApi elsewhere = RestApi.session(baseUri(), user.name(), user.password());
        PageClient browser = PageClient.signedIn(baseUri(), user.name(), user.password());
        String token = createToken(user, "ci", "read", "write");
        String passwordLogin = passwordLogin(user.name(), user.password());
        String tokenLogin = tokenLogin(user.name(), token);
        String me = "/api/v1/users/" + user.name();

        assertThat(here.call("PATCH", me, Map.of("password", NEW_PASSWORD)).expect(400).message())
                .as("a session alone does not change the password").contains("current password");
        assertThat(here.call("PATCH", me, Map.of("password", NEW_PASSWORD, "currentPassword", "not it"))
                .expect(403).message()).isEqualTo("the current password is not correct");
        basic(user.name(), user.password()).get("/api/v1/user").expect(200);

        here.call("PATCH", me, Map.of("password", NEW_PASSWORD, "currentPassword", user.password())).expect(200);

        assertThat(here.get("/api/v1/user").expect(200).json().get("username").asString())
                .as("the session that changed it goes on").isEqualTo(user.name());
        elsewhere.get("/api/v1/user").expect(401);
        assertThat(browser.get("/account").statusCode()).as("the web UI's session ended too").isEqualTo(302);
        assertThat(refresh(passwordLogin)).as("a docker login made with the old password").isEqualTo(400);
        assertThat(refresh(tokenLogin)).as("a docker login made with a token").isEqualTo(200);
        RestApi.bearer(baseUri(), token).get("/api/v1/user").expect(200);
        basic(user.name(), user.password()).get("/api/v1/user").expect(401);
        basic(user.name(), NEW_PASSWORD).get("/api/v1/user").expect(200);
        assertThat(auditDetails(user.name(), "account.changed"))
                .contains("password changed; other sessions and password logins ended");
    }

    @Test
    void anAdministratorSetsAnotherAccountsPasswordWithoutTheOldOneAndItsSessionsEnd() {
        User user = TestAccounts.signUp(baseUri(), "reset");
        RestApi session = RestApi.session(baseUri(), user.name(), user.password());
        String passwordLogin = passwordLogin(user.name(), user.password());
        String adminToken = createToken(new User(ADMIN, ADMIN_PASSWORD), "admin everything " + user.name(),
                "read", "write", "delete");

        RestApi adminByToken = RestApi.bearer(baseUri(), adminToken);
        String minted = "minted-" + UUID.randomUUID().toString().substring(0, 8);
        for (RestApi.Answer refused : List.of(
                adminByToken.call("PATCH", "/api/v1/users/" + user.name(), Map.of("password", NEW_PASSWORD)),
                adminByToken.call("PATCH", "/api/v1/users/" + user.name(), Map.of("administrator", true)),
                adminByToken.call("POST", "/api/v1/users", Map.of("username", minted, "email", minted + "@example.com",
                        "password", "a password of the token's", "administrator", true)))) {
            refused.expect(403);
            assertThat(refused.message()).as(refused.request()).contains("access token");
        }
        session.get("/api/v1/user").expect(200);
        assertThat(basic(ADMIN, ADMIN_PASSWORD).get("/api/v1/users/" + user.name()).expect(200).json()
                .get("administrator").asBoolean()).isFalse();
        basic(ADMIN, ADMIN_PASSWORD).get("/api/v1/users/" + minted).expect(404);

        basic(ADMIN, ADMIN_PASSWORD).call("PATCH", "/api/v1/users/" + user.name(), Map.of("password", NEW_PASSWORD))
                .expect(200);

        session.get("/api/v1/user").expect(401);
        assertThat(refresh(passwordLogin)).isEqualTo(400);
        basic(user.name(), NEW_PASSWORD).get("/api/v1/user").expect(200);
        assertThat(auditDetails(ADMIN, "account.changed"))
                .contains("password set by an administrator; other sessions and password logins ended");
        revokeAll(new User(ADMIN, ADMIN_PASSWORD));
    }

    // ---- what tokens may do

    @Test
    void aTokenWithEveryScopeChangesNothingOfTheAccountItsTokensOrganisationsAndTeams() {
        User user = TestAccounts.signUp(baseUri(), "scoped");
        User other = TestAccounts.signUp(baseUri(), "other");
        String secret = createToken(user, "everything", "read", "write", "delete");
        long tokenId = basic(user.name(), user.password()).get("/api/v1/user/tokens").expect(200).json().get(0)
                .get("id").asLong();
        String org = "org-" + UUID.randomUUID().toString().substring(0, 8);
        RestApi password = basic(user.name(), user.password());
        password.call("POST", "/api/v1/orgs", Map.of("name", org)).expect(201);
        password.call("POST", "/api/v1/orgs/" + org + "/teams", Map.of("name", "devs", "permission", "write"))
                .expect(201);

        for (RestApi token : List.of(RestApi.bearer(baseUri(), secret), basic(user.name(), secret))) {
            List<RestApi.Answer> refused = List.of(
                    token.call("DELETE", "/api/v1/users/" + user.name(), null),
                    token.call("PATCH", "/api/v1/users/" + user.name(), Map.of("email", "taken@example.com")),
                    token.call("PATCH", "/api/v1/users/" + user.name(),
                            Map.of("password", NEW_PASSWORD, "currentPassword", user.password())),
                    token.call("POST", "/api/v1/user/tokens", Map.of("name", "minted", "scopes", List.of("read"))),
                    token.call("DELETE", "/api/v1/user/tokens/" + tokenId, null),
                    token.call("POST", "/api/v1/orgs", Map.of("name", org + "-2")),
                    token.call("DELETE", "/api/v1/orgs/" + org, null),
                    token.call("PUT", "/api/v1/orgs/" + org + "/owners/" + other.name(), null),
                    token.call("POST", "/api/v1/orgs/" + org + "/teams", Map.of("name", "more", "permission", "admin")),
                    token.call("PATCH", "/api/v1/orgs/" + org + "/teams/devs", Map.of("permission", "admin")),
                    token.call("PUT", "/api/v1/orgs/" + org + "/teams/devs/members/" + other.name(), null),
                    token.call("DELETE", "/api/v1/orgs/" + org + "/teams/devs", null));
            for (RestApi.Answer answer : refused) {
                answer.expect(403);
                assertThat(answer.message()).as(answer.request()).contains("access token");
            }
        }

        JsonNode account = password.get("/api/v1/user").expect(200).json();
        assertThat(account.get("email").asString()).isEqualTo(user.name() + "@example.com");
        basic(user.name(), user.password()).get("/api/v1/user").expect(200);
        RestApi.bearer(baseUri(), secret).get("/api/v1/user").expect(200);
        assertThat(password.get("/api/v1/orgs/" + org + "/owners").expect(200).json().toString())
                .doesNotContain(other.name());
        assertThat(password.get("/api/v1/orgs/" + org + "/teams/devs").expect(200).json().get("permission").asString())
                .isEqualTo("write");

        // What the scopes say, tokens still do: repositories.
        RestApi token = RestApi.bearer(baseUri(), secret);
        token.call("PATCH", "/api/v1/orgs/" + org, Map.of("description", "set by CI")).expect(200);
        token.call("POST", "/api/v1/repositories", Map.of("name", user.name() + "/app")).expect(201);
        token.call("DELETE", "/api/v1/repositories/" + user.name() + "/app", null).expect(204);

        // A browser session and the password do what tokens may not.
        RestApi session = RestApi.session(baseUri(), user.name(), user.password());
        session.call("PATCH", "/api/v1/users/" + user.name(), Map.of("email", "moved-" + user.name() + "@example.com"))
                .expect(200);
        session.call("DELETE", "/api/v1/orgs/" + org, null).expect(204);
        password.call("DELETE", "/api/v1/users/" + user.name(), null).expect(204);
    }

    // ---- deleted accounts and their names

    @Test
    void aDeletedAccountLeavesNothingBehindAndItsNameIsNotGivenOutAgain() {
        User dave = TestAccounts.signUp(baseUri(), "dave");
        RestApi session = RestApi.session(baseUri(), dave.name(), dave.password());
        PageClient browser = PageClient.signedIn(baseUri(), dave.name(), dave.password());
        String token = createToken(dave, "laptop", "read", "write");
        String passwordLogin = passwordLogin(dave.name(), dave.password());
        String tokenLogin = tokenLogin(dave.name(), token);
        RestApi admin = basic(ADMIN, ADMIN_PASSWORD);
        String org = "org-" + UUID.randomUUID().toString().substring(0, 8);
        admin.call("POST", "/api/v1/orgs", Map.of("name", org)).expect(201);
        admin.call("POST", "/api/v1/orgs/" + org + "/teams", Map.of("name", "devs", "permission", "write")).expect(201);
        admin.call("PUT", "/api/v1/orgs/" + org + "/teams/devs/members/" + dave.name(), null).expect(204);
        admin.call("PUT", "/api/v1/orgs/" + org + "/owners/" + dave.name(), null).expect(204);
        String starred = ADMIN + "/" + dave.name() + "-starred";
        admin.call("POST", "/api/v1/repositories", Map.of("name", starred)).expect(201);
        session.call("PUT", "/api/v1/repositories/" + starred + "/-/star", null).expect(204);
        session.call("POST", "/api/v1/repositories", Map.of("name", dave.name() + "/app")).expect(201);

        admin.call("DELETE", "/api/v1/users/" + dave.name(), null).expect(204);

        session.get("/api/v1/user").expect(401);
        assertThat(browser.get("/account").statusCode()).isEqualTo(302);
        basic(dave.name(), token).get("/api/v1/user").expect(401);
        RestApi.bearer(baseUri(), token).get("/api/v1/user").expect(401);
        basic(dave.name(), dave.password()).get("/api/v1/user").expect(401);
        assertThat(refresh(passwordLogin)).isEqualTo(400);
        assertThat(refresh(tokenLogin)).isEqualTo(400);
        assertThat(admin.get("/api/v1/orgs/" + org + "/teams/devs").expect(200).json().get("members").toString())
                .doesNotContain(dave.name());
        assertThat(admin.get("/api/v1/orgs/" + org + "/owners").expect(200).json().toString())
                .doesNotContain(dave.name());
        admin.get("/api/v1/repositories/" + dave.name() + "/app").expect(404);
        assertThat(admin.get("/api/v1/repositories/" + starred).expect(200).json().get("starCount").asLong()).isZero();

        RestApi.with(baseUri(), null).call("POST", "/api/v1/users", Map.of("username", dave.name(),
                "email", "new-dave@example.com", "password", "the new dave's password")).expect(409);
        assertThat(admin.call("POST", "/api/v1/users", Map.of("username", dave.name(), "email", "d@example.com",
                "password", "the new dave's password")).expect(409).message()).contains("not given out again");
        admin.call("POST", "/api/v1/orgs", Map.of("name", dave.name())).expect(409);
        session.get("/api/v1/user").expect(401);
        assertThat(auditDetails(ADMIN, "account.deleted")).anyMatch(detail -> detail.contains("name is retired"));
    }

    @Test
    void aSessionBelongsToTheAccountItSignedInNotToItsName() {
        User dave = TestAccounts.signUp(baseUri(), "dave");
        RestApi session = RestApi.session(baseUri(), dave.name(), dave.password());
        PageClient browser = PageClient.signedIn(baseUri(), dave.name(), dave.password());
        String passwordLogin = passwordLogin(dave.name(), dave.password());
        basic(ADMIN, ADMIN_PASSWORD).call("DELETE", "/api/v1/users/" + dave.name(), null).expect(204);
        // Berth never gives a deleted name out again; an operator could still free it in the database. Whoever takes
        // it then must get nothing of the old account, however its sessions and logins name it.
        assertThat(jdbc.update("DELETE FROM namespace WHERE name = ? AND retired_at IS NOT NULL", dave.name()))
                .isEqualTo(1);
        User newDave = new User(dave.name(), "the new dave's password");
        RestApi.with(baseUri(), null).call("POST", "/api/v1/users", Map.of("username", newDave.name(),
                "email", "new-" + dave.name() + "@example.com", "password", newDave.password())).expect(201);

        session.get("/api/v1/user").expect(401);
        assertThat(browser.get("/account").statusCode()).as("the old browser session").isEqualTo(302);
        assertThat(refresh(passwordLogin)).as("the old docker login").isEqualTo(400);
        basic(dave.name(), dave.password()).get("/api/v1/user").expect(401);
        assertThat(RestApi.session(baseUri(), newDave.name(), newDave.password()).get("/api/v1/user").expect(200)
                .json().get("email").asString()).isEqualTo("new-" + dave.name() + "@example.com");
        basic(ADMIN, ADMIN_PASSWORD).call("DELETE", "/api/v1/users/" + dave.name(), null).expect(204);
    }

    @Test
    void aDeletedOrganisationsNameIsNotGivenOutAgain() {
        User owner = TestAccounts.signUp(baseUri(), "owner");
        RestApi password = basic(owner.name(), owner.password());
        String org = "org-" + UUID.randomUUID().toString().substring(0, 8);
        password.call("POST", "/api/v1/orgs", Map.of("name", org)).expect(201);
        password.call("POST", "/api/v1/repositories", Map.of("name", org + "/api")).expect(201);

        password.call("DELETE", "/api/v1/orgs/" + org, null).expect(204);

        assertThat(password.call("POST", "/api/v1/orgs", Map.of("name", org)).expect(409).message())
                .contains("not given out again");
        RestApi.with(baseUri(), null).call("POST", "/api/v1/users", Map.of("username", org,
                "email", "x@example.com", "password", "a password of mine")).expect(409);
        password.get("/api/v1/repositories/" + org + "/api").expect(404);
    }

    // ---- helpers

    private RestApi basic(String user, String secret) {
        return RestApi.basic(baseUri(), user, secret);
    }

    /** A personal access token of the user, made with the password; returns its secret. */
    private String createToken(User user, String name, String... scopes) {
        return basic(user.name(), user.password()).call("POST", "/api/v1/user/tokens",
                Map.of("name", name, "scopes", List.of(scopes))).expect(201).json().get("token").asString();
    }

    private void revokeAll(User user) {
        RestApi password = basic(user.name(), user.password());
        password.get("/api/v1/user/tokens").expect(200).json().forEach(token -> {
            if (token.get("revokedAt").isNull()) {
                password.call("DELETE", "/api/v1/user/tokens/" + token.get("id").asLong(), null).expect(204);
            }
        });
    }

    /** A docker-login-like sign-in with the password, through the OAuth2 grant; returns its refresh token. */
    private String passwordLogin(String user, String password) {
        HttpResponse<byte[]> login = postToken(Map.of("grant_type", "password", "username", user, "password", password,
                "client_id", "docker", "access_type", "offline", "service", "berth"));
        assertThat(login.statusCode()).isEqualTo(200);
        return RegistryClient.json(login).get("refresh_token").asString();
    }

    /** {@code docker login} with a personal access token as the password; returns the refresh token it keeps. */
    private String tokenLogin(String user, String token) {
        HttpResponse<byte[]> login = tokenServer().send("GET", "/token?service=berth&offline_token=true&client_id=docker",
                null, "Authorization", RegistryClient.basic(user, token));
        assertThat(login.statusCode()).isEqualTo(200);
        return RegistryClient.json(login).get("refresh_token").asString();
    }

    /** The status of a refresh-token grant, as a {@code docker login} kept since then asks it. */
    private int refresh(String refreshToken) {
        return postToken(Map.of("grant_type", "refresh_token", "refresh_token", refreshToken, "client_id", "docker",
                "service", "berth")).statusCode();
    }

    private HttpResponse<byte[]> postToken(Map<String, String> form) {
        return tokenServer().send("POST", "/token", form.entrySet().stream()
                        .map(field -> field.getKey() + "=" + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
                        .collect(Collectors.joining("&")).getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/x-www-form-urlencoded");
    }

    private RegistryClient tokenServer() {
        return RegistryClient.unauthenticated(baseUri());
    }

    /** The details of the audit events of this actor and action, newest first. */
    private List<String> auditDetails(String actor, String action) {
        List<String> details = new ArrayList<>();
        basic(ADMIN, ADMIN_PASSWORD).get("/api/v1/admin/audit?limit=50&actor=" + actor + "&action=" + action)
                .expect(200).json().forEach(event -> details.add(event.get("detail").asString()));
        return details;
    }
}
