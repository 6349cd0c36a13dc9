package io.berth.hub.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.SignedJWT;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.berth.hub.access.account.AccessTokenService;
import io.berth.hub.access.account.AccountService;
import io.berth.hub.access.account.Authenticator;
import io.berth.hub.access.account.CreatedToken;
import io.berth.hub.access.caller.AccessTokenScope;
import io.berth.hub.access.caller.Caller;
import io.berth.hub.access.token.SigningKeys;
import io.berth.support.BearerChallenge;
import io.berth.support.BerthIntegrationTest;
import io.berth.support.RegistryClient;

/**
 * The token server as the Docker token spec describes it and as clients use it: GET with basic credentials, a
 * personal access token or nothing; POST with the OAuth2 password and refresh_token grants; and the registry's
 * answers to missing, invalid and insufficient tokens.
 */
class TokenEndpointTest extends BerthIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    AccountService accounts;

    @Autowired
    AccessTokenService accessTokens;

    @Autowired
    Authenticator authenticator;

    @Autowired
    SigningKeys signingKeys;

    @Autowired
    JdbcTemplate jdbc;

    private String user;
    private String password;

    @BeforeEach
    void createUser() {
        user = "tok" + UUID.randomUUID().toString().substring(0, 8);
        password = "password-" + UUID.randomUUID();
        accounts.createUser(user, user + "@example.com", password, false);
    }

    @Test
    void anonymousTokenGrantsPullOfPublicRepositoriesOnly() throws Exception {
        registry().pushImage(user + "/public", "v1");
        JsonNode token = getToken(null, "repository:" + user + "/public:pull,push", "repository:" + user + "/absent:pull");

        JsonNode claims = claims(token.get("token").asString());
        assertThat(claims.get("sub").asString()).isEmpty();
        assertThat(actions(claims)).containsExactly(
                Map.entry(user + "/public", List.of("pull")),
                Map.entry(user + "/absent", List.of()));
        assertThat(token.get("access_token").asString()).isEqualTo(token.get("token").asString());
        assertThat(token.get("expires_in").asLong()).isGreaterThanOrEqualTo(60);
        assertThat(Instant.parse(token.get("issued_at").asString())).isBeforeOrEqualTo(Instant.now());
        assertThat(token.has("refresh_token")).isFalse();
    }

    @Test
    void tokenIsAnEs256JwtSignedByTheHubKeyWithTheSpecClaims() throws Exception {
        JsonNode response = getToken(basic(user, password), "repository:" + user + "/app:pull,push");
        SignedJWT jwt = SignedJWT.parse(response.get("token").asString());

        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(jwt.getHeader().getKeyID()).isEqualTo(signingKeys.keyId());
        ECKey publicKey = signingKeys.publicJwkSet().getKeys().get(0).toECKey();
        assertThat(jwt.verify(new ECDSAVerifier(publicKey))).isTrue();
        var claims = jwt.getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo("berth");
        assertThat(claims.getAudience()).containsExactly("berth");
        assertThat(claims.getSubject()).isEqualTo(user);
        assertThat(claims.getJWTID()).isNotBlank();
        assertThat(claims.getExpirationTime()).isAfter(claims.getIssueTime());
        assertThat(claims.getNotBeforeTime()).isEqualTo(claims.getIssueTime());
        assertThat(actions(claims(response.get("token").asString())))
                .containsExactly(Map.entry(user + "/app", List.of("pull", "push")));
    }

    @Test
    void wrongPasswordIsRefusedWithAChallengeForBasicCredentials() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(tokenUri("scope=repository:" + user + "/app:pull"))
                .header("Authorization", basic(user, "wrong password")).GET());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic "));
        assertThat(response.body()).contains("\"UNAUTHORIZED\"");
    }

    @Test
    void malformedScopeIsABadRequest() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(tokenUri("scope=repository:no-actions")).GET());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("malformed scope");
    }

    @Test
    void aServiceOtherThanThisRegistrysIsRefused() throws Exception {
        HttpResponse<String> get = send(HttpRequest.newBuilder(URI.create(baseUri()
                + "/token?service=other&scope=repository:" + user + "/app:pull"))
                .header("Authorization", basic(user, password)).GET());
        assertThat(get.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(get.body()).get("errors").get(0);
        assertThat(error.get("code").asString()).isEqualTo("UNSUPPORTED");
        assertThat(error.get("message").asString()).contains("berth").contains("other");
        assertThat(get.body()).doesNotContain("\"token\"");

        JsonNode post = post(Map.of("grant_type", "password", "username", user, "password", password,
                "client_id", "docker", "service", "other"), 400);
        assertThat(post.get("error").asString()).isEqualTo("invalid_request");
        assertThat(post.has("access_token")).isFalse();

        assertThat(getToken(basic(user, password), "", null).get("token").asString())
                .as("service=berth, as clients send it").isNotBlank();
        HttpResponse<String> none = send(HttpRequest.newBuilder(URI.create(baseUri() + "/token")).GET());
        assertThat(none.statusCode()).as("no service at all: this one").isEqualTo(200);
    }

    @Test
    void aWildcardScopeGrantsEverythingTheCallerMayDo() throws Exception {
        String repository = user + "/everything";
        registry().pushImage(repository, "v1");
        CreatedToken pushOnly = accessTokens.create(authenticator.caller(user), "ci",
                EnumSet.of(AccessTokenScope.WRITE), null);

        assertThat(actions(claims(getToken(basic(user, password), "repository:" + repository + ":*")
                .get("token").asString()))).as("the owner")
                .containsExactly(Map.entry(repository, List.of("delete", "pull", "push")));
        assertThat(actions(claims(getToken(basic(user, pushOnly.secret()), "repository:" + repository + ":*")
                .get("token").asString()))).as("the owner's write token")
                .containsExactly(Map.entry(repository, List.of("pull", "push")));
        assertThat(actions(claims(getToken(null, "repository:" + repository + ":*").get("token").asString())))
                .as("anyone, on a public repository").containsExactly(Map.entry(repository, List.of("pull")));
        JsonNode oauth = post(Map.of("grant_type", "password", "username", user, "password", password,
                "client_id", "docker", "scope", "repository:" + repository + ":*"), 200);
        assertThat(oauth.get("scope").asString()).isEqualTo("repository:" + repository + ":delete,pull,push");

        String token = getToken(basic(user, password), "repository:" + repository + ":*").get("token").asString();
        HttpResponse<byte[]> tags = RegistryClient.unauthenticated(baseUri())
                .sendWithToken(token, "GET", "/v2/" + repository + "/tags/list", null);
        assertThat(tags.statusCode()).as("the registry reads the granted pull").isEqualTo(200);
    }

    @Test
    void offlineTokenThenRefreshTokenGrantWorksAndStopsAfterPasswordChange() throws Exception {
        JsonNode login = getToken(basic(user, password), "offline_token=true&client_id=docker", null);
        String refreshToken = login.get("refresh_token").asString();
        assertThat(refreshToken).startsWith("berth_rt_");

        JsonNode refreshed = post(Map.of("grant_type", "refresh_token", "refresh_token", refreshToken,
                "client_id", "docker", "scope", "repository:" + user + "/app:pull,push", "service", "berth"), 200);
        assertThat(refreshed.get("scope").asString()).isEqualTo("repository:" + user + "/app:pull,push");
        assertThat(refreshed.get("refresh_token").asString()).isEqualTo(refreshToken);
        String accessToken = refreshed.get("access_token").asString();
        assertThat(RegistryClient.unauthenticated(baseUri()).sendWithToken(accessToken, "GET", "/v2/", null).statusCode())
                .isEqualTo(200);

        accounts.updateUser(authenticator.caller(user), user, null, "another-password-123", null);
        assertThat(send(HttpRequest.newBuilder(tokenUri("")).header("Authorization", basic(user, password)).GET())
                .statusCode()).as("the old password").isEqualTo(401);
        JsonNode refused = post(Map.of("grant_type", "refresh_token", "refresh_token", refreshToken, "client_id", "docker"), 400);
        assertThat(refused.get("error").asString()).isEqualTo("invalid_grant");
    }

    @Test
    void passwordGrantWithOfflineAccessReturnsARefreshToken() throws Exception {
        JsonNode token = post(Map.of("grant_type", "password", "username", user, "password", password,
                "client_id", "podman", "access_type", "offline", "scope", "repository:" + user + "/app:pull"), 200);

        assertThat(token.get("access_token").asString()).isNotBlank();
        assertThat(token.get("scope").asString()).isEqualTo("repository:" + user + "/app:pull");
        assertThat(token.get("refresh_token").asString()).startsWith("berth_rt_");
    }

    @Test
    void oauthErrorsFollowRfc6749() throws Exception {
        assertThat(post(Map.of("grant_type", "password", "username", user, "password", password), 400)
                .get("error").asString()).isEqualTo("invalid_request");
        assertThat(post(Map.of("grant_type", "client_credentials", "client_id", "x"), 400)
                .get("error").asString()).isEqualTo("unsupported_grant_type");
        assertThat(post(Map.of("grant_type", "password", "username", user, "password", "nope", "client_id", "x"), 400)
                .get("error").asString()).isEqualTo("invalid_grant");
        assertThat(post(Map.of("grant_type", "refresh_token", "refresh_token", "berth_rt_forged", "client_id", "x"), 400)
                .get("error").asString()).isEqualTo("invalid_grant");
    }

    @Test
    void personalAccessTokenScopesLimitTheGrant() throws Exception {
        CreatedToken readOnly = accessTokens.create(authenticator.caller(user), "ci", EnumSet.of(AccessTokenScope.READ), null);

        JsonNode token = getToken(basic(user, readOnly.secret()), "repository:" + user + "/app:pull,push,delete");

        assertThat(actions(claims(token.get("token").asString())))
                .containsExactly(Map.entry(user + "/app", List.of("pull")));
    }

    @Test
    void revokedOrExpiredTokensStopWorkingAtOnceAndTakeTheirLoginsWithThem() throws Exception {
        Caller caller = authenticator.caller(user);
        CreatedToken revoked = accessTokens.create(caller, "laptop", EnumSet.allOf(AccessTokenScope.class), null);
        String refreshToken = getToken(basic(user, revoked.secret()), "offline_token=true&client_id=docker", null)
                .get("refresh_token").asString();

        accessTokens.revoke(caller, revoked.token().getId());

        assertThat(send(HttpRequest.newBuilder(tokenUri("")).header("Authorization", basic(user, revoked.secret())).GET())
                .statusCode()).isEqualTo(401);
        post(Map.of("grant_type", "refresh_token", "refresh_token", refreshToken, "client_id", "docker"), 400);

        CreatedToken expiring = accessTokens.create(caller, "ci", EnumSet.of(AccessTokenScope.READ), Instant.now().plusSeconds(3600));
        String expiringRefresh = getToken(basic(user, expiring.secret()), "offline_token=true&client_id=ci", null)
                .get("refresh_token").asString();
        jdbc.update("UPDATE access_token SET expires_at = ? WHERE id = ?",
                java.sql.Timestamp.from(Instant.now().minusSeconds(1)), expiring.token().getId());
        assertThat(send(HttpRequest.newBuilder(tokenUri("")).header("Authorization", basic(user, expiring.secret())).GET())
                .statusCode()).isEqualTo(401);
        post(Map.of("grant_type", "refresh_token", "refresh_token", expiringRefresh, "client_id", "ci"), 400);
    }

    @Test
    void repeatedFailuresOfOneAccountAreThrottledWithRetryAfter() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(send(HttpRequest.newBuilder(tokenUri("")).header("Authorization", basic(user, "wrong " + i)).GET())
                    .statusCode()).isEqualTo(401);
        }

        HttpResponse<String> throttled = send(HttpRequest.newBuilder(tokenUri("")).header("Authorization", basic(user, password)).GET());

        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After").map(Long::parseLong)).hasValueSatisfying(
                seconds -> assertThat(seconds).isBetween(1L, 30L));
        HttpResponse<String> oauth = send(HttpRequest.newBuilder(URI.create(baseUri() + "/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("grant_type", "password", "username", user,
                        "password", password, "client_id", "x")))));
        assertThat(oauth.statusCode()).isEqualTo(429);
        // Other accounts are not held up by this one's failures.
        assertThat(getToken(basic(ADMIN, ADMIN_PASSWORD), "")).isNotNull();
    }

    @Test
    void registryAnswersMissingInvalidAndInsufficientTokensWithBearerChallenges() throws Exception {
        String repository = user + "/app";
        RegistryClient raw = RegistryClient.unauthenticated(baseUri());

        HttpResponse<byte[]> none = raw.get("/v2/" + repository + "/manifests/latest");
        assertThat(none.statusCode()).isEqualTo(401);
        BearerChallenge challenge = BearerChallenge.parse(none.headers().firstValue("WWW-Authenticate").orElseThrow());
        assertThat(challenge.realm()).isEqualTo(baseUri() + "/token");
        assertThat(challenge.service()).isEqualTo("berth");
        assertThat(challenge.scopes()).containsExactly("repository:" + repository + ":pull");
        assertThat(challenge.error()).isNull();

        String token = getToken(null, "repository:" + repository + ":pull").get("token").asString();
        String tampered = token.substring(0, token.length() - 4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
        HttpResponse<byte[]> invalid = raw.sendWithToken(tampered, "GET", "/v2/" + repository + "/tags/list", null);
        assertThat(invalid.statusCode()).isEqualTo(401);
        assertThat(BearerChallenge.parse(invalid.headers().firstValue("WWW-Authenticate").orElseThrow()).error())
                .isEqualTo("invalid_token");

        HttpResponse<byte[]> insufficient = raw.sendWithToken(token, "POST", "/v2/" + repository + "/blobs/uploads/", null);
        assertThat(insufficient.statusCode()).isEqualTo(401);
        BearerChallenge more = BearerChallenge.parse(insufficient.headers().firstValue("WWW-Authenticate").orElseThrow());
        assertThat(more.error()).isEqualTo("insufficient_scope");
        assertThat(more.scopes()).containsExactly("repository:" + repository + ":pull,push");
        assertThat(new String(insufficient.body(), StandardCharsets.UTF_8)).contains("\"DENIED\"");
    }

    @Test
    void mountChallengeAlsoNamesPullOnTheSourceSoThatChallengeFollowingClientsCanMount() throws Exception {
        RegistryClient.Image source = registry().pushImage(user + "/source", "v1");
        HttpResponse<byte[]> challenged = RegistryClient.unauthenticated(baseUri()).send("POST",
                "/v2/" + user + "/target/blobs/uploads/?mount=" + source.layer() + "&from=" + user + "/source", null);

        BearerChallenge challenge = BearerChallenge.parse(challenged.headers().firstValue("WWW-Authenticate").orElseThrow());
        assertThat(challenge.scopes()).containsExactly("repository:" + user + "/target:pull,push",
                "repository:" + user + "/source:pull");
        RegistryClient owner = RegistryClient.as(baseUri(), user, password);
        String token = owner.token(challenge.scopes().toArray(String[]::new));
        HttpResponse<byte[]> mounted = owner.sendWithToken(token, "POST",
                "/v2/" + user + "/target/blobs/uploads/?mount=" + source.layer() + "&from=" + user + "/source", null);
        assertThat(mounted.statusCode()).isEqualTo(201);
    }

    @Test
    void percentEncodedNameCannotSlipAPrivateRepositoryPastTheCheck() throws Exception {
        String repository = user + "/secret";
        registry().pushImage(repository, "v1");
        jdbc.update("UPDATE repository SET visibility = 'PRIVATE' WHERE name = ?", repository);
        // %61 is 'a': decoded, the path names the private repository, which the anonymous token does not cover.
        String encoded = "%" + Integer.toHexString(repository.charAt(0)) + repository.substring(1);
        String token = getToken(null, "repository:" + repository + ":pull").get("token").asString();
        RegistryClient raw = RegistryClient.unauthenticated(baseUri());

        for (String path : List.of("/v2/" + encoded + "/tags/list", "/v2/" + encoded + "/manifests/v1")) {
            HttpResponse<byte[]> response = raw.sendWithToken(token, "GET", path, null);
            assertThat(response.statusCode()).as(path).isEqualTo(400);
            assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("NAME_INVALID").doesNotContain("v1");
        }
    }

    // ---- helpers

    private URI tokenUri(String query) {
        return URI.create(baseUri() + "/token?service=berth" + (query.isEmpty() ? "" : "&" + query));
    }

    private JsonNode getToken(String authorization, String... scopes) throws Exception {
        String query = java.util.Arrays.stream(scopes).filter(s -> !s.isEmpty())
                .map(s -> "scope=" + URLEncoder.encode(s, StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        return getToken(authorization, query, null);
    }

    private JsonNode getToken(String authorization, String query, Void unused) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(tokenUri(query)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response = send(request);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        return JSON.readTree(response.body());
    }

    private JsonNode post(Map<String, String> form, int status) throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(baseUri() + "/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(form))));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }

    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode claims(String jwt) {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    private static List<Map.Entry<String, List<String>>> actions(JsonNode claims) {
        List<Map.Entry<String, List<String>>> entries = new java.util.ArrayList<>();
        claims.get("access").forEach(entry -> entries.add(Map.entry(entry.get("name").asString(),
                RegistryClient.strings(entry.get("actions")))));
        return entries;
    }
}
