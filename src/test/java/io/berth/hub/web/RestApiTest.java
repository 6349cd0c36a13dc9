package io.berth.hub.web;

import static io.berth.support.RegistryClient.OCI_INDEX;
import static io.berth.support.RegistryClient.OCI_MANIFEST;
import static io.berth.support.RegistryClient.bytes;
import static io.berth.support.RegistryClient.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.berth.support.BerthIntegrationTest;
import io.berth.support.RegistryClient;

/**
 * The Hub's REST API ({@code /api/v1}) over plain HTTP, as scripts and the web UI use it: basic credentials, personal
 * access tokens (as the password of basic credentials and as bearer tokens) and a browser session with its CSRF token.
 * Every test makes accounts, organisations and repositories of its own, with unique names: the context and its
 * database are shared with every other integration test.
 */
class RestApiTest extends BerthIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String PASSWORD = "correct horse battery";

    // ---- users

    @Test
    void signUpThenWhoAmIAndProfiles() {
        String name = unique("user");
        Answer created = call("POST", "/api/v1/users", null,
                Map.of("username", name, "email", name + "@example.com", "password", PASSWORD));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("username").asString()).isEqualTo(name);
        assertThat(created.json().get("administrator").asBoolean()).isFalse();
        assertThat(created.headers().firstValue("Location")).hasValue("/api/v1/users/" + name);

        JsonNode me = call("GET", "/api/v1/user", basic(name, PASSWORD), null).expect(200).json();
        assertThat(me.get("username").asString()).isEqualTo(name);
        assertThat(me.get("email").asString()).isEqualTo(name + "@example.com");
        assertThat(me.get("organisations").isArray()).isTrue();
        assertThat(me.get("createdAt").asString()).as("ISO-8601 UTC").matches("\\d{4}-\\d\\d-\\d\\dT.*Z");

        Answer anonymousMe = call("GET", "/api/v1/user", null, null).expect(401);
        assertThat(anonymousMe.message()).isNotBlank();

        JsonNode publicProfile = call("GET", "/api/v1/users/" + name, null, null).expect(200).json();
        assertThat(publicProfile.has("email")).as("e-mail hidden from others").isFalse();
        assertThat(publicProfile.has("administrator")).isFalse();
        assertThat(publicProfile.get("username").asString()).isEqualTo(name);
        assertThat(call("GET", "/api/v1/users/" + name, basic(name, PASSWORD), null).expect(200).json()
                .get("email").asString()).isEqualTo(name + "@example.com");
        assertThat(call("GET", "/api/v1/users/" + name, admin(), null).expect(200).json().has("administrator")).isTrue();
        assertThat(call("GET", "/api/v1/users/" + unique("nobody"), null, null).status()).isEqualTo(404);

        assertThat(call("POST", "/api/v1/users", null,
                Map.of("username", name, "email", "x@example.com", "password", PASSWORD)).status()).isEqualTo(409);
        assertThat(call("POST", "/api/v1/users", null, Map.of("username", unique("boss"), "email", "b@example.com",
                "password", PASSWORD, "administrator", true)).status()).as("only administrators make administrators")
                .isEqualTo(403);
        assertThat(call("POST", "/api/v1/users", null, Map.of("username", unique("short"), "email", "s@example.com",
                "password", "short")).expect(400).message()).contains("password");
        assertThat(raw("POST", "/api/v1/users", null, "{not json").expect(400).message()).isNotBlank();
    }

    @Test
    void administratorsCreateAdministratorsAndChangeAccounts() {
        String name = unique("ops");
        Answer created = call("POST", "/api/v1/users", admin(), Map.of("username", name, "email", name + "@example.com",
                "password", PASSWORD, "administrator", true)).expect(201);
        assertThat(created.json().get("administrator").asBoolean()).isTrue();
        assertThat(call("GET", "/api/v1/admin/users", basic(name, PASSWORD), null).status()).isEqualTo(200);

        String user = signUp("plain");
        call("PATCH", "/api/v1/users/" + user, basic(user, PASSWORD), Map.of("email", "new-" + user + "@example.com"))
                .expect(200);
        assertThat(call("PATCH", "/api/v1/users/" + user, basic(user, PASSWORD), Map.of("administrator", true)).status())
                .as("no one makes themselves an administrator").isEqualTo(403);
        assertThat(call("PATCH", "/api/v1/users/" + name, basic(user, PASSWORD), Map.of("email", "x@example.com"))
                .status()).isEqualTo(403);
        call("PATCH", "/api/v1/users/" + user, admin(), Map.of("password", "another password")).expect(200);
        call("GET", "/api/v1/user", basic(user, "another password"), null).expect(200);
    }

    @Test
    void deletingAUserDeletesItsRepositories() {
        String user = signUp("leaver");
        String repository = user + "/app";
        call("POST", "/api/v1/repositories", basic(user, PASSWORD), Map.of("name", repository)).expect(201);

        call("DELETE", "/api/v1/users/" + user, basic(user, PASSWORD), null).expect(204);

        assertThat(call("GET", "/api/v1/users/" + user, null, null).status()).isEqualTo(404);
        assertThat(call("GET", "/api/v1/repositories/" + repository, admin(), null).status()).isEqualTo(404);
    }

    // ---- organisations and teams

    @Test
    void organisationTeamAndMemberLifecycle() {
        String owner = signUp("owner");
        String member = signUp("member");
        String outsider = signUp("outsider");
        String org = unique("org");

        assertThat(call("POST", "/api/v1/orgs", null, Map.of("name", org)).status())
                .as("anonymous callers sign in first").isEqualTo(401);
        Answer created = call("POST", "/api/v1/orgs", basic(owner, PASSWORD), Map.of("name", org, "description", "Acme"))
                .expect(201);
        assertThat(created.json().get("description").asString()).isEqualTo("Acme");
        assertThat(names(call("GET", "/api/v1/orgs", null, null).expect(200).json(), "name")).contains(org);
        assertThat(call("GET", "/api/v1/orgs/" + org, null, null).expect(200).json().get("name").asString()).isEqualTo(org);
        assertThat(strings(call("GET", "/api/v1/orgs/" + org + "/owners", basic(owner, PASSWORD), null).expect(200).json()))
                .containsExactly(owner);

        Answer team = call("POST", "/api/v1/orgs/" + org + "/teams", basic(owner, PASSWORD),
                Map.of("name", "readers", "permission", "read")).expect(201);
        assertThat(team.json().get("permission").asString()).isEqualTo("read");
        assertThat(call("POST", "/api/v1/orgs/" + org + "/teams", basic(owner, PASSWORD),
                Map.of("name", "wrong", "permission", "superuser")).expect(400).message()).contains("superuser");
        assertThat(call("POST", "/api/v1/orgs/" + org + "/teams", basic(member, PASSWORD),
                Map.of("name", "mine", "permission", "admin")).status()).as("only owners make teams").isEqualTo(403);

        call("PUT", "/api/v1/orgs/" + org + "/teams/readers/members/" + member, basic(owner, PASSWORD), null).expect(204);
        JsonNode teams = call("GET", "/api/v1/orgs/" + org + "/teams", basic(member, PASSWORD), null).expect(200).json();
        assertThat(teams.get(0).get("name").asString()).isEqualTo("readers");
        assertThat(strings(teams.get(0).get("members"))).containsExactly(member);
        assertThat(strings(call("GET", "/api/v1/user", basic(member, PASSWORD), null).expect(200).json()
                .get("organisations"))).containsExactly(org);
        assertThat(call("GET", "/api/v1/orgs/" + org + "/owners", basic(member, PASSWORD), null).status()).isEqualTo(200);
        assertThat(call("GET", "/api/v1/orgs/" + org + "/owners", basic(outsider, PASSWORD), null).status()).isEqualTo(403);
        assertThat(call("GET", "/api/v1/orgs/" + org + "/teams", basic(outsider, PASSWORD), null).status()).isEqualTo(403);
        assertThat(call("GET", "/api/v1/orgs/" + org + "/teams", admin(), null).status()).isEqualTo(200);

        assertThat(call("PATCH", "/api/v1/orgs/" + org + "/teams/readers", basic(owner, PASSWORD),
                Map.of("permission", "write")).expect(200).json().get("permission").asString()).isEqualTo("write");
        assertThat(call("GET", "/api/v1/orgs/" + org + "/teams/readers", basic(member, PASSWORD), null).expect(200).json()
                .get("permission").asString()).isEqualTo("write");
        call("DELETE", "/api/v1/orgs/" + org + "/teams/readers/members/" + member, basic(owner, PASSWORD), null)
                .expect(204);
        assertThat(call("GET", "/api/v1/orgs/" + org + "/owners", basic(member, PASSWORD), null).status())
                .as("no longer a member").isEqualTo(403);
        call("DELETE", "/api/v1/orgs/" + org + "/teams/readers", basic(owner, PASSWORD), null).expect(204);
        assertThat(call("GET", "/api/v1/orgs/" + org + "/teams/readers", basic(owner, PASSWORD), null).status())
                .isEqualTo(404);

        call("PUT", "/api/v1/orgs/" + org + "/owners/" + member, basic(owner, PASSWORD), null).expect(204);
        assertThat(strings(call("GET", "/api/v1/orgs/" + org + "/owners", basic(owner, PASSWORD), null).expect(200).json()))
                .containsExactlyInAnyOrder(owner, member);
        call("DELETE", "/api/v1/orgs/" + org + "/owners/" + owner, basic(member, PASSWORD), null).expect(204);
        assertThat(call("DELETE", "/api/v1/orgs/" + org + "/owners/" + member, basic(member, PASSWORD), null).status())
                .as("the last owner stays").isEqualTo(409);
        call("PATCH", "/api/v1/orgs/" + org, basic(member, PASSWORD), Map.of("description", "Acme Corp")).expect(200);
        assertThat(call("PATCH", "/api/v1/orgs/" + org, basic(owner, PASSWORD), Map.of("description", "mine")).status())
                .as("no longer an owner").isEqualTo(403);

        call("POST", "/api/v1/repositories", basic(member, PASSWORD), Map.of("name", org + "/api")).expect(201);
        call("DELETE", "/api/v1/orgs/" + org, basic(member, PASSWORD), null).expect(204);
        assertThat(call("GET", "/api/v1/orgs/" + org, null, null).status()).isEqualTo(404);
        assertThat(call("GET", "/api/v1/repositories/" + org + "/api", admin(), null).status())
                .as("the organisation's repositories went with it").isEqualTo(404);
    }

    // ---- permissions on repositories

    @Test
    void aReadTeamMemberReadsButCannotChangeTheOrganisationsRepositories() {
        String owner = signUp("owner");
        String reader = signUp("reader");
        String org = unique("org");
        call("POST", "/api/v1/orgs", basic(owner, PASSWORD), Map.of("name", org)).expect(201);
        call("POST", "/api/v1/orgs/" + org + "/teams", basic(owner, PASSWORD), Map.of("name", "ro", "permission", "read"))
                .expect(201);
        call("PUT", "/api/v1/orgs/" + org + "/teams/ro/members/" + reader, basic(owner, PASSWORD), null).expect(204);
        String repository = org + "/team/api";
        call("POST", "/api/v1/repositories", basic(owner, PASSWORD),
                Map.of("name", repository, "visibility", "private")).expect(201);

        JsonNode seen = call("GET", "/api/v1/repositories/" + repository, basic(reader, PASSWORD), null).expect(200).json();
        assertThat(seen.get("role").asString()).isEqualTo("read");
        assertThat(seen.get("visibility").asString()).isEqualTo("private");
        assertThat(call("PATCH", "/api/v1/repositories/" + repository, basic(reader, PASSWORD),
                Map.of("description", "mine now")).status()).isEqualTo(403);
        assertThat(call("DELETE", "/api/v1/repositories/" + repository, basic(reader, PASSWORD), null).status())
                .isEqualTo(403);
        assertThat(call("DELETE", "/api/v1/repositories/" + repository + "/-/tags/latest", basic(reader, PASSWORD), null)
                .status()).isEqualTo(403);
        assertThat(call("POST", "/api/v1/repositories", basic(reader, PASSWORD), Map.of("name", org + "/other")).status())
                .as("creating needs write in the namespace").isEqualTo(403);
        assertThat(call("GET", "/api/v1/repositories/" + repository, basic(owner, PASSWORD), null).expect(200).json()
                .get("role").asString()).isEqualTo("admin");

        call("PATCH", "/api/v1/orgs/" + org + "/teams/ro", basic(owner, PASSWORD), Map.of("permission", "admin"))
                .expect(200);
        call("PATCH", "/api/v1/repositories/" + repository, basic(reader, PASSWORD), Map.of("description", "ours"))
                .expect(200);
    }

    @Test
    void aPrivateRepositoryAnswersExactlyAsAMissingOne() {
        String owner = signUp("owner");
        String outsider = signUp("outsider");
        String secret = owner + "/secret";
        String missing = owner + "/missing";
        call("POST", "/api/v1/repositories", basic(owner, PASSWORD),
                Map.of("name", secret, "visibility", "private", "description", "classified")).expect(201);

        for (String authorization : new String[] {null, basic(outsider, PASSWORD)}) {
            for (String[] request : List.of(
                    new String[] {"GET", ""},
                    new String[] {"PATCH", ""},
                    new String[] {"DELETE", ""},
                    new String[] {"GET", "/-/tags"},
                    new String[] {"DELETE", "/-/tags/latest"},
                    new String[] {"PUT", "/-/star"},
                    new String[] {"DELETE", "/-/star"})) {
                Object body = request[0].equals("PATCH") ? Map.of("visibility", "public") : null;
                Answer hidden = call(request[0], "/api/v1/repositories/" + secret + request[1], authorization, body);
                Answer absent = call(request[0], "/api/v1/repositories/" + missing + request[1], authorization, body);
                assertThat(hidden.status()).as(request[0] + " " + request[1]).isEqualTo(404);
                assertThat(hidden.status()).isEqualTo(absent.status());
                assertThat(hidden.body()).isEqualTo("{\"message\":\"repository not found: " + secret + "\"}");
                assertThat(absent.body()).isEqualTo(hidden.body().replace(secret, missing));
                assertThat(hidden.headers().firstValue("Content-Type")).isEqualTo(absent.headers().firstValue("Content-Type"));
            }
            JsonNode search = call("GET", "/api/v1/repositories?q=classified&namespace=" + owner, authorization, null)
                    .expect(200).json();
            assertThat(search.get("count").asLong()).isZero();
            assertThat(search.get("results").isEmpty()).isTrue();
        }
        assertThat(call("GET", "/api/v1/repositories/" + secret, basic(owner, PASSWORD), null).status()).isEqualTo(200);
        assertThat(call("GET", "/api/v1/repositories?namespace=" + owner, admin(), null).expect(200).json()
                .get("count").asLong()).isEqualTo(1);
    }

    // ---- personal access tokens

    @Test
    void accessTokensAreCreatedUsedLimitedAndRevoked() {
        String user = signUp("tokens");
        String repository = user + "/app";
        call("POST", "/api/v1/repositories", basic(user, PASSWORD), Map.of("name", repository)).expect(201);

        Answer readOnly = call("POST", "/api/v1/user/tokens", basic(user, PASSWORD),
                Map.of("name", "ci read", "scopes", List.of("read"))).expect(201);
        String readSecret = readOnly.json().get("token").asString();
        assertThat(readSecret).startsWith("berth_pat_");
        assertThat(strings(readOnly.json().get("scopes"))).containsExactly("read");
        long readId = readOnly.json().get("id").asLong();
        String writeSecret = call("POST", "/api/v1/user/tokens", basic(user, PASSWORD),
                Map.of("name", "ci write", "scopes", List.of("read", "write"), "expiresAt", "2999-01-01T00:00:00Z"))
                .expect(201).json().get("token").asString();

        JsonNode listed = call("GET", "/api/v1/user/tokens", basic(user, PASSWORD), null).expect(200).json();
        assertThat(names(listed, "name")).containsExactlyInAnyOrder("ci read", "ci write");
        assertThat(listed.toString()).as("secrets are shown once").doesNotContain(readSecret).doesNotContain(writeSecret);
        listed.forEach(token -> assertThat(token.has("revokedAt")).isTrue());

        assertThat(call("GET", "/api/v1/user", basic(user, readSecret), null).expect(200).json().get("username")
                .asString()).as("a token as the password of basic credentials").isEqualTo(user);
        assertThat(call("GET", "/api/v1/user", bearer(readSecret), null).expect(200).json().get("username").asString())
                .isEqualTo(user);
        assertThat(call("GET", "/api/v1/repositories/" + repository, bearer(readSecret), null).status()).isEqualTo(200);
        assertThat(call("PATCH", "/api/v1/repositories/" + repository, bearer(readSecret),
                Map.of("description", "from a read-only token")).status()).isEqualTo(403);
        assertThat(call("PUT", "/api/v1/repositories/" + repository + "/-/star", basic(user, readSecret), null).status())
                .isEqualTo(403);
        assertThat(call("POST", "/api/v1/user/tokens", bearer(writeSecret),
                Map.of("name", "minted", "scopes", List.of("read"))).status()).as("tokens cannot make tokens")
                .isEqualTo(403);
        call("PATCH", "/api/v1/repositories/" + repository, bearer(writeSecret), Map.of("description", "from CI"))
                .expect(200);
        assertThat(call("DELETE", "/api/v1/repositories/" + repository, bearer(writeSecret), null).status())
                .as("deleting needs the delete scope").isEqualTo(403);
        assertThat(call("POST", "/api/v1/user/tokens", basic(user, PASSWORD),
                Map.of("name", "bad", "scopes", List.of("everything"))).expect(400).message()).contains("everything");
        assertThat(call("POST", "/api/v1/user/tokens", basic(user, PASSWORD),
                Map.of("name", "bad", "scopes", List.of("read"), "expiresAt", "tomorrow")).expect(400).message())
                .contains("tomorrow");

        call("DELETE", "/api/v1/user/tokens/" + readId, basic(user, PASSWORD), null).expect(204);
        assertThat(call("GET", "/api/v1/user", bearer(readSecret), null).status()).isEqualTo(401);
        JsonNode afterRevoke = call("GET", "/api/v1/user/tokens", basic(user, PASSWORD), null).expect(200).json();
        for (JsonNode token : afterRevoke) {
            assertThat(token.get("revokedAt").isNull()).isEqualTo(token.get("id").asLong() != readId);
        }
        assertThat(call("DELETE", "/api/v1/user/tokens/999999999", basic(user, PASSWORD), null).status()).isEqualTo(404);
    }

    // ---- repositories

    @Test
    void repositoryIsCreatedChangedDeletedAndRecreatedByAPush() {
        String repository = ADMIN + "/" + unique("life");
        Answer created = call("POST", "/api/v1/repositories", admin(),
                Map.of("name", repository, "description", "first")).expect(201);
        assertThat(created.json().get("visibility").asString()).isEqualTo("public");
        assertThat(created.json().get("role").asString()).isEqualTo("admin");
        assertThat(created.json().get("readme").asString()).isEmpty();
        assertThat(created.json().get("namespace").asString()).isEqualTo(ADMIN);
        assertThat(call("POST", "/api/v1/repositories", admin(), Map.of("name", repository)).status()).isEqualTo(409);
        assertThat(call("POST", "/api/v1/repositories", admin(), Map.of("name", "Not/Valid")).status()).isEqualTo(400);
        assertThat(call("POST", "/api/v1/repositories", admin(), Map.of("name", repository + "x", "visibility", "secret"))
                .status()).isEqualTo(400);

        assertThat(call("PATCH", "/api/v1/repositories/" + repository, null, Map.of("description", "anonymous")).status())
                .as("anonymous callers see a public repository and sign in to change it").isEqualTo(401);
        assertThat(call("DELETE", "/api/v1/repositories/" + repository, null, null).status()).isEqualTo(401);
        JsonNode changed = call("PATCH", "/api/v1/repositories/" + repository, admin(),
                Map.of("description", "second", "readme", "# Hello", "visibility", "private")).expect(200).json();
        assertThat(changed.get("description").asString()).isEqualTo("second");
        assertThat(changed.get("readme").asString()).isEqualTo("# Hello");
        assertThat(changed.get("visibility").asString()).isEqualTo("private");
        assertThat(call("GET", "/api/v1/repositories/" + repository, null, null).status()).isEqualTo(404);

        call("DELETE", "/api/v1/repositories/" + repository, admin(), null).expect(204);
        assertThat(call("GET", "/api/v1/repositories/" + repository, admin(), null).status()).isEqualTo(404);

        registry().pushImage(repository, "1");
        JsonNode recreated = call("GET", "/api/v1/repositories/" + repository, admin(), null).expect(200).json();
        assertThat(recreated.get("description").asString()).as("a new repository, not the old one").isEmpty();
        assertThat(names(call("GET", "/api/v1/repositories/" + repository + "/-/tags", admin(), null).expect(200).json()
                .get("results"), "name")).containsExactly("1");
    }

    @Test
    void tagsShowDigestSizeAndPlatformsAndCanBeDeleted() {
        String repository = ADMIN + "/" + unique("tags");
        RegistryClient registry = registry();
        byte[] amdConfig = bytes("{\"architecture\":\"amd64\",\"os\":\"linux\",\"id\":\"" + UUID.randomUUID() + "\"}");
        byte[] armConfig = bytes("{\"architecture\":\"arm64\",\"os\":\"linux\",\"variant\":\"v8\",\"id\":\""
                + UUID.randomUUID() + "\"}");
        byte[] amdLayer = bytes("amd layer " + UUID.randomUUID());
        byte[] armLayer = bytes("arm layer, a little longer " + UUID.randomUUID());
        RegistryClient.Image amd = registry.pushImage(repository, "amd", amdConfig, amdLayer, RegistryClient.Upload.POST_PUT);
        RegistryClient.Image arm = registry.pushImage(repository, "arm", armConfig, armLayer, RegistryClient.Upload.POST_PUT);
        byte[] index = bytes("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX + "\",\"manifests\":["
                + "{\"mediaType\":\"" + OCI_MANIFEST + "\",\"digest\":\"" + amd.digest() + "\",\"size\":"
                + amd.manifest().length + ",\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}},"
                + "{\"mediaType\":\"" + OCI_MANIFEST + "\",\"digest\":\"" + arm.digest() + "\",\"size\":"
                + arm.manifest().length + ",\"platform\":{\"architecture\":\"arm64\",\"os\":\"linux\",\"variant\":\"v8\"}}]}");
        expect(registry.putManifest(repository, "multi", OCI_INDEX, index), 201);

        JsonNode tags = call("GET", "/api/v1/repositories/" + repository + "/-/tags", null, null).expect(200).json()
                .get("results");
        assertThat(names(tags, "name")).containsExactly("amd", "arm", "multi");
        JsonNode amdTag = tags.get(0);
        assertThat(amdTag.get("digest").asString()).isEqualTo(amd.digest().toString());
        assertThat(amdTag.get("mediaType").asString()).isEqualTo(OCI_MANIFEST);
        long amdSize = amd.manifest().length + amdConfig.length + amdLayer.length;
        long armSize = arm.manifest().length + armConfig.length + armLayer.length;
        assertThat(amdTag.get("size").asLong()).isEqualTo(amdSize);
        assertThat(amdTag.get("platforms").toString()).isEqualTo("[{\"os\":\"linux\",\"architecture\":\"amd64\"}]");
        assertThat(amdTag.get("pushedAt").asString()).endsWith("Z");
        assertThat(tags.get(1).get("platforms").toString())
                .isEqualTo("[{\"os\":\"linux\",\"architecture\":\"arm64\",\"variant\":\"v8\"}]");
        JsonNode multi = tags.get(2);
        assertThat(multi.get("mediaType").asString()).isEqualTo(OCI_INDEX);
        assertThat(multi.get("size").asLong()).isEqualTo(index.length + amdSize + armSize);
        assertThat(multi.get("platforms").toString()).isEqualTo("[{\"os\":\"linux\",\"architecture\":\"amd64\"},"
                + "{\"os\":\"linux\",\"architecture\":\"arm64\",\"variant\":\"v8\"}]");

        call("DELETE", "/api/v1/repositories/" + repository + "/-/tags/arm", admin(), null).expect(204);
        assertThat(call("DELETE", "/api/v1/repositories/" + repository + "/-/tags/arm", admin(), null).status())
                .isEqualTo(404);
        assertThat(names(call("GET", "/api/v1/repositories/" + repository + "/-/tags", admin(), null).expect(200).json()
                .get("results"), "name")).containsExactly("amd", "multi");
        assertThat(registry.get("/v2/" + repository + "/manifests/" + arm.digest(), "Accept", OCI_MANIFEST).statusCode())
                .as("the manifest stays; only the tag went").isEqualTo(200);
    }

    @Test
    void starsAreCountedAndPullsAreCountedByTheRegistry() {
        String fan = signUp("fan");
        String other = signUp("fan");
        String repository = ADMIN + "/" + unique("popular");
        RegistryClient.Image image = registry().pushImage(repository, "latest");

        assertThat(call("PUT", "/api/v1/repositories/" + repository + "/-/star", null, null).status()).isEqualTo(401);
        call("PUT", "/api/v1/repositories/" + repository + "/-/star", basic(fan, PASSWORD), null).expect(204);
        call("PUT", "/api/v1/repositories/" + repository + "/-/star", basic(fan, PASSWORD), null).expect(204);
        call("PUT", "/api/v1/repositories/" + repository + "/-/star", basic(other, PASSWORD), null).expect(204);
        JsonNode starred = call("GET", "/api/v1/repositories/" + repository, basic(fan, PASSWORD), null).expect(200).json();
        assertThat(starred.get("starCount").asLong()).isEqualTo(2);
        assertThat(starred.get("starred").asBoolean()).isTrue();
        assertThat(call("GET", "/api/v1/repositories/" + repository, null, null).expect(200).json().has("starred"))
                .as("nothing is starred by nobody").isFalse();

        call("DELETE", "/api/v1/repositories/" + repository + "/-/star", basic(fan, PASSWORD), null).expect(204);
        call("DELETE", "/api/v1/repositories/" + repository + "/-/star", basic(fan, PASSWORD), null).expect(204);
        JsonNode unstarred = call("GET", "/api/v1/repositories/" + repository, basic(fan, PASSWORD), null).expect(200).json();
        assertThat(unstarred.get("starCount").asLong()).isEqualTo(1);
        assertThat(unstarred.get("starred").asBoolean()).isFalse();
        assertThat(unstarred.get("pullCount").asLong()).isZero();

        expect(anonymousRegistry().get("/v2/" + repository + "/manifests/latest", "Accept", OCI_MANIFEST), 200);
        expect(anonymousRegistry().get("/v2/" + repository + "/manifests/" + image.digest(), "Accept", OCI_MANIFEST), 200);
        // The registry adds pulls up in memory and writes them every few seconds.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(call("GET", "/api/v1/repositories/" + repository, null, null).expect(200).json()
                        .get("pullCount").asLong()).isEqualTo(2));
    }

    @Test
    void searchMatchesNamesAndDescriptionsAndPagesWhatTheCallerSees() {
        String owner = signUp("search");
        String word = "zebra" + UUID.randomUUID().toString().substring(0, 8);
        call("POST", "/api/v1/repositories", basic(owner, PASSWORD),
                Map.of("name", owner + "/alpha", "description", "The " + word.toUpperCase() + " image")).expect(201);
        call("POST", "/api/v1/repositories", basic(owner, PASSWORD),
                Map.of("name", owner + "/beta-" + word, "description", "named after it")).expect(201);
        call("POST", "/api/v1/repositories", basic(owner, PASSWORD),
                Map.of("name", owner + "/gamma", "description", "also " + word, "visibility", "private")).expect(201);
        call("POST", "/api/v1/repositories", basic(owner, PASSWORD),
                Map.of("name", owner + "/delta", "description", "unrelated")).expect(201);
        call("PUT", "/api/v1/repositories/" + owner + "/beta-" + word + "/-/star", admin(), null).expect(204);

        JsonNode anonymous = call("GET", "/api/v1/repositories?q=" + word, null, null).expect(200).json();
        assertThat(anonymous.get("count").asLong()).isEqualTo(2);
        assertThat(names(anonymous.get("results"), "name")).containsExactly(owner + "/alpha", owner + "/beta-" + word);
        assertThat(anonymous.get("page").asInt()).isEqualTo(1);
        assertThat(anonymous.get("size").asInt()).isEqualTo(25);
        JsonNode item = anonymous.get("results").get(0);
        for (String field : List.of("name", "namespace", "visibility", "description", "starCount", "pullCount",
                "createdAt", "updatedAt")) {
            assertThat(item.has(field)).as(field).isTrue();
        }

        JsonNode mine = call("GET", "/api/v1/repositories?q=" + word.toUpperCase() + "&sort=stars", basic(owner, PASSWORD),
                null).expect(200).json();
        assertThat(mine.get("count").asLong()).as("the owner sees the private one too").isEqualTo(3);
        assertThat(names(mine.get("results"), "name")).first().isEqualTo(owner + "/beta-" + word);
        assertThat(mine.get("results").get(0).get("starred").asBoolean()).isFalse();

        JsonNode secondPage = call("GET", "/api/v1/repositories?namespace=" + owner + "&size=1&page=2",
                basic(owner, PASSWORD), null).expect(200).json();
        assertThat(secondPage.get("count").asLong()).isEqualTo(4);
        assertThat(names(secondPage.get("results"), "name")).containsExactly(owner + "/beta-" + word);
        assertThat(call("GET", "/api/v1/repositories?sort=random", null, null).status()).isEqualTo(400);
        assertThat(call("GET", "/api/v1/repositories?size=0", null, null).status()).isEqualTo(400);
        assertThat(call("GET", "/api/v1/repositories?page=x", null, null).status()).isEqualTo(400);
        assertThat(call("GET", "/api/v1/repositories?q=%25", null, null).expect(200).json().get("count").asLong())
                .as("%% is a character, not a wildcard").isLessThan(
                        call("GET", "/api/v1/repositories?size=1", null, null).expect(200).json().get("count").asLong());
    }

    // ---- administration, audit, sessions, documentation

    @Test
    void auditEventsAreForAdministratorsOnly() {
        String user = signUp("audited");
        String repository = user + "/app";
        call("POST", "/api/v1/repositories", basic(user, PASSWORD), Map.of("name", repository)).expect(201);
        call("PATCH", "/api/v1/repositories/" + repository, basic(user, PASSWORD), Map.of("visibility", "private"))
                .expect(200);
        long tokenId = call("POST", "/api/v1/user/tokens", basic(user, PASSWORD),
                Map.of("name", "audited", "scopes", List.of("read"))).expect(201).json().get("id").asLong();
        call("DELETE", "/api/v1/user/tokens/" + tokenId, basic(user, PASSWORD), null).expect(204);

        JsonNode events = call("GET", "/api/v1/admin/audit?actor=" + user, admin(), null).expect(200).json();
        assertThat(names(events, "action")).containsExactly("token.revoked", "token.created", "visibility.changed",
                "repository.created", "account.created");
        JsonNode visibility = events.get(2);
        assertThat(visibility.get("target").asString()).isEqualTo(repository);
        assertThat(visibility.get("outcome").asString()).isEqualTo("success");
        assertThat(visibility.get("detail").asString()).isEqualTo("public -> private");
        assertThat(visibility.get("occurredAt").asString()).endsWith("Z");
        assertThat(visibility.has("clientAddress")).isTrue();
        JsonNode older = call("GET", "/api/v1/admin/audit?actor=" + user + "&limit=2&before=" + events.get(1).get("id")
                .asLong(), admin(), null).expect(200).json();
        assertThat(names(older, "action")).containsExactly("visibility.changed", "repository.created");
        assertThat(names(call("GET", "/api/v1/admin/audit?action=token.created&actor=" + user, admin(), null).expect(200)
                .json(), "action")).containsExactly("token.created");

        assertThat(call("GET", "/api/v1/admin/audit", basic(user, PASSWORD), null).status()).isEqualTo(403);
        assertThat(call("GET", "/api/v1/admin/users", basic(user, PASSWORD), null).status()).isEqualTo(403);
        assertThat(call("GET", "/api/v1/admin/audit", null, null).status()).isEqualTo(401);
        assertThat(names(call("GET", "/api/v1/admin/users", admin(), null).expect(200).json(), "username"))
                .contains(ADMIN, user);
    }

    @Test
    void aBrowserSessionChangesStateOnlyWithTheCsrfToken() {
        String user = signUp("browser");
        Answer login = call("POST", "/api/v1/login", null, Map.of("username", user, "password", PASSWORD)).expect(200);
        Map<String, String> cookies = new LinkedHashMap<>(cookies(login));
        assertThat(cookies).containsKey("JSESSIONID");

        Answer me = call("GET", "/api/v1/user", null, null, "Cookie", cookieHeader(cookies)).expect(200);
        assertThat(me.json().get("username").asString()).isEqualTo(user);
        cookies.putAll(cookies(me));
        assertThat(cookies).as("the SPA reads its CSRF token from this cookie").containsKey("XSRF-TOKEN");

        String org = unique("org");
        assertThat(call("POST", "/api/v1/orgs", null, Map.of("name", org), "Cookie", cookieHeader(cookies)).status())
                .as("no CSRF token, no change").isEqualTo(403);
        call("POST", "/api/v1/orgs", null, Map.of("name", org), "Cookie", cookieHeader(cookies),
                "X-XSRF-TOKEN", cookies.get("XSRF-TOKEN")).expect(201);
        assertThat(strings(call("GET", "/api/v1/user", null, null, "Cookie", cookieHeader(cookies)).expect(200).json()
                .get("organisations"))).containsExactly(org);

        call("POST", "/api/v1/logout", null, null, "Cookie", cookieHeader(cookies), "X-XSRF-TOKEN",
                cookies.get("XSRF-TOKEN")).expect(204);
        assertThat(call("GET", "/api/v1/user", null, null, "Cookie", cookieHeader(cookies)).status()).isEqualTo(401);
    }

    @Test
    void theOpenApiDocumentListsTheRestApi() {
        JsonNode document = call("GET", "/api/v1/openapi", null, null).expect(200).json();
        assertThat(document.get("openapi").asString()).startsWith("3.");
        List<String> paths = new ArrayList<>(document.get("paths").propertyNames());
        assertThat(paths).contains("/api/v1/users", "/api/v1/user", "/api/v1/user/tokens", "/api/v1/orgs/{org}/teams",
                "/api/v1/repositories", "/api/v1/repositories/{name}/-/tags", "/api/v1/admin/audit");
        assertThat(paths).allMatch(path -> path.startsWith("/api/v1/"));
        assertThat(document.get("components").get("schemas").get("RepositoryDetails").get("properties").propertyNames())
                .contains("name", "visibility", "starCount", "pullCount", "readme", "role");
        assertThat(document.toString()).as("the caller comes from the credentials, not a parameter")
                .doesNotContain("\"accountId\"");
    }

    // ---- helpers

    private record Answer(int status, String body, HttpHeaders headers) {

        Answer expect(int expected) {
            assertThat(status).as("status of an answer with body %s", body).isEqualTo(expected);
            return this;
        }

        JsonNode json() {
            return JSON.readTree(body);
        }

        String message() {
            return json().get("message").asString();
        }
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Signs a new user up, with {@link #PASSWORD}, and returns its name. */
    private String signUp(String prefix) {
        String name = unique(prefix);
        call("POST", "/api/v1/users", null, Map.of("username", name, "email", name + "@example.com", "password", PASSWORD))
                .expect(201);
        return name;
    }

    private static String admin() {
        return basic(ADMIN, ADMIN_PASSWORD);
    }

    private static String basic(String user, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    private static String bearer(String token) {
        return "Bearer " + token;
    }

    /** A request with an optional {@code Authorization} value and JSON body; {@code headers} are name, value pairs. */
    private Answer call(String method, String path, String authorization, Object body, String... headers) {
        return raw(method, path, authorization, body == null ? null : JSON.writeValueAsString(body), headers);
    }

    private Answer raw(String method, String path, String authorization, String json, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUri() + path)).timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body(), response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Name and value of each cookie an answer sets. */
    private static Map<String, String> cookies(Answer answer) {
        Map<String, String> cookies = new LinkedHashMap<>();
        for (String header : answer.headers().allValues("Set-Cookie")) {
            String pair = header.split(";", 2)[0];
            int equals = pair.indexOf('=');
            cookies.put(pair.substring(0, equals).strip(), pair.substring(equals + 1).strip());
        }
        return cookies;
    }

    private static String cookieHeader(Map<String, String> cookies) {
        List<String> pairs = new ArrayList<>();
        cookies.forEach((name, value) -> pairs.add(name + "=" + value));
        return String.join("; ", pairs);
    }

    private static List<String> names(JsonNode array, String field) {
        List<String> names = new ArrayList<>();
        array.forEach(node -> names.add(node.get(field).asString()));
        return names;
    }

    private static List<String> strings(JsonNode array) {
        return RegistryClient.strings(array);
    }
}
