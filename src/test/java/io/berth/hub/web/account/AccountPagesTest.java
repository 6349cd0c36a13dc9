package io.berth.hub.web.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.berth.support.BerthIntegrationTest;
import io.berth.support.PageClient;
import io.berth.support.RegistryClient;
import io.berth.support.RestApi;

/**
 * The account pages of the web UI over HTTP, as a browser without JavaScript uses them: sign-up, the profile, personal
 * access tokens and organisations with their teams. What the forms do is checked where it counts, through the REST
 * API: the account exists, the token signs in and then no longer does, the team member reads the private repository.
 * (Sign-up closed needs a Berth of its own: {@link SignUpClosedPageTest}.)
 */
class AccountPagesTest extends BerthIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String PASSWORD = "correct horse battery";
    private static final Pattern SECRET = Pattern.compile("<code id=\"new-token-secret\">(berth_pat_[^<]+)</code>");
    private static final Pattern REVOKE_ACTION = Pattern.compile("action=\"(/account/tokens/(\\d+)/revoke)\"");

    // ---- sign-up and the account page

    @Test
    void signUpCreatesTheAccountSignsItInAndShowsItsProfile() {
        PageClient browser = new PageClient(baseUri());
        HttpResponse<String> form = browser.get("/sign-up");
        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(form.body()).contains("<form", "id=\"sign-up\"", "id=\"username\"", "id=\"email\"", "id=\"password\"",
                "<label for=\"password\"");

        String name = unique("newcomer");
        HttpResponse<String> signedUp = browser.submit("/sign-up", "/sign-up",
                Map.of("username", name, "email", name + "@example.com", "password", PASSWORD));
        assertThat(signedUp.statusCode()).isEqualTo(302);
        assertThat(signedUp.headers().firstValue("Location")).hasValueSatisfying(
                location -> assertThat(location).endsWith("/account"));

        HttpResponse<String> account = browser.get("/account");
        assertThat(account.statusCode()).as("signed in by the sign-up").isEqualTo(200);
        assertThat(account.body()).contains("Welcome to Berth, " + name, ">" + name + "</dd>",
                ">" + name + "@example.com</dd>", "href=\"/account/tokens\"", "href=\"/account/organisations\"");
        assertThat(text(account.body(), "profile-administrator")).isEqualTo("No");
        assertThat(account.body()).as("the header names the new user").contains(">" + name + "</a>");

        JsonNode me = call("GET", "/api/v1/user", RegistryClient.basic(name, PASSWORD), null).expect(200).json();
        assertThat(me.get("email").asString()).isEqualTo(name + "@example.com");
        assertThat(me.get("administrator").asBoolean()).isFalse();
        JsonNode events = call("GET", "/api/v1/admin/audit?actor=" + name, admin(), null).expect(200).json();
        assertThat(strings(events, "action")).containsExactly("login", "account.created");
        assertThat(events.get(0).get("target").asString()).isEqualTo("/sign-up");
    }

    @Test
    void signUpErrorsShowOnTheFormWithTheApisMessage() {
        String taken = signUp("taken");
        PageClient browser = new PageClient(baseUri());

        HttpResponse<String> nameTaken = browser.submit("/sign-up", "/sign-up",
                Map.of("username", taken, "email", "other@example.com", "password", PASSWORD));
        assertThat(nameTaken.statusCode()).isEqualTo(409);
        assertThat(nameTaken.body()).contains("the name " + taken + " is taken", "id=\"sign-up\"",
                "value=\"other@example.com\"");

        String name = unique("weak");
        HttpResponse<String> weak = browser.submit("/sign-up", "/sign-up",
                Map.of("username", name, "email", name + "@example.com", "password", "short"));
        assertThat(weak.statusCode()).isEqualTo(400);
        assertThat(weak.body()).contains("a password has 8 to 128 characters", "value=\"" + name + "\"");
        assertThat(weak.body()).as("the password is never sent back").doesNotContain("value=\"short\"");

        HttpResponse<String> badName = browser.submit("/sign-up", "/sign-up",
                Map.of("username", "Not A Name", "email", "x@example.com", "password", PASSWORD));
        assertThat(badName.statusCode()).isEqualTo(400);
        assertThat(badName.body()).contains("lower-case letters and digits");

        assertThat(call("GET", "/api/v1/users/" + name, null, null).status()).as("no account was made").isEqualTo(404);
        assertThat(browser.get("/account").statusCode()).as("nobody signed in").isEqualTo(302);
    }

    @Test
    void signUpIsOpenInTheSharedContextAndTheSignInPageLinksToIt() {
        // The closed case runs in a Berth of its own (SignUpClosedPageTest): the property cannot change here.
        assertThat(new PageClient(baseUri()).get("/sign-in").body()).contains("href=\"/sign-up\"");
        assertThat(new PageClient(baseUri()).get("/sign-up").body()).doesNotContain("Sign-up is closed");
    }

    @Test
    void accountPagesSendSignedOutVisitorsToSignIn() {
        for (String page : new String[] {"/account", "/account/tokens", "/account/organisations"}) {
            HttpResponse<String> answer = new PageClient(baseUri()).get(page);
            assertThat(answer.statusCode()).as(page).isEqualTo(302);
            assertThat(answer.headers().firstValue("Location")).as(page).hasValueSatisfying(location ->
                    assertThat(location).endsWith("/sign-in?next=" + page.replace("/", "%2F")));
        }
    }

    @Test
    void emailAndPasswordChangeFromTheAccountPage() {
        String name = signUp("changer");
        PageClient browser = PageClient.signedIn(baseUri(), name, PASSWORD);

        assertThat(browser.submit("/account", "/account/email", Map.of("email", "new-" + name + "@example.com"))
                .statusCode()).isEqualTo(302);
        assertThat(browser.get("/account").body()).contains(">new-" + name + "@example.com</dd>");

        HttpResponse<String> wrongCurrent = browser.submit("/account", "/account/password",
                Map.of("current-password", "not my password", "new-password", "a new password"));
        assertThat(wrongCurrent.statusCode()).isEqualTo(302);
        assertThat(browser.get("/account").body()).contains("the current password is not correct");
        call("GET", "/api/v1/user", RegistryClient.basic(name, PASSWORD), null).expect(200);

        PageClient otherBrowser = PageClient.signedIn(baseUri(), name, PASSWORD);
        browser.submit("/account", "/account/password",
                Map.of("current-password", PASSWORD, "new-password", "a new password"));
        assertThat(browser.get("/account").body()).as("this browser stays signed in")
                .contains("Your password was changed; your other sessions were signed out.");
        HttpResponse<String> signedOut = otherBrowser.get("/account");
        assertThat(signedOut.statusCode()).as("the other browser's session ended").isEqualTo(302);
        assertThat(signedOut.headers().firstValue("Location")).hasValueSatisfying(
                location -> assertThat(location).contains("/sign-in"));
        assertThat(call("GET", "/api/v1/user", RegistryClient.basic(name, PASSWORD), null).status()).isEqualTo(401);
        call("GET", "/api/v1/user", RegistryClient.basic(name, "a new password"), null).expect(200);
    }

    // ---- personal access tokens

    @Test
    void aTokenIsShownOnceWorksWithTheApiAndStopsWhenRevoked() {
        String name = signUp("tokens");
        PageClient browser = PageClient.signedIn(baseUri(), name, PASSWORD);
        HttpResponse<String> page = browser.get("/account/tokens");
        assertThat(page.body()).contains("id=\"new-token\"", "id=\"token-description\"", "id=\"token-scope\"",
                "value=\"read\"", "value=\"read-write\"", "value=\"read-write-delete\"", "id=\"tokens\"");

        HttpResponse<String> created = browser.submit("/account/tokens", "/account/tokens",
                Map.of("description", "ci of " + name, "scope", "read-write"));
        assertThat(created.statusCode()).isEqualTo(302);
        HttpResponse<String> shown = browser.get("/account/tokens");
        Matcher secret = SECRET.matcher(shown.body());
        assertThat(secret.find()).as("the secret is on the page after creating: %s", shown.body()).isTrue();
        String token = secret.group(1);
        assertThat(rows(shown.body(), "token")).singleElement().satisfies(row -> assertThat(row)
                .contains("<td class=\"token-description\">ci of " + name + "</td>", "read, write", "Never"));

        HttpResponse<String> reloaded = browser.get("/account/tokens");
        assertThat(reloaded.body()).as("shown once").doesNotContain("new-token-secret").doesNotContain(token);
        assertThat(rows(reloaded.body(), "token")).hasSize(1);

        JsonNode me = call("GET", "/api/v1/user", "Bearer " + token, null).expect(200).json();
        assertThat(me.get("username").asString()).isEqualTo(name);
        assertThat(call("POST", "/api/v1/repositories", "Bearer " + token, Map.of("name", name + "/pushed-by-token"))
                .status()).as("the write scope").isEqualTo(201);
        JsonNode listed = call("GET", "/api/v1/user/tokens", RegistryClient.basic(name, PASSWORD), null).expect(200).json();
        assertThat(strings(listed, "name")).containsExactly("ci of " + name);
        assertThat(strings(listed.get(0).get("scopes"))).containsExactly("read", "write");
        assertThat(rows(browser.get("/account/tokens").body(), "token")).singleElement().satisfies(row ->
                assertThat(row).as("last used").containsPattern("<td class=\"token-last-used\">\\s*<time"));

        Matcher revoke = REVOKE_ACTION.matcher(reloaded.body());
        assertThat(revoke.find()).isTrue();
        assertThat(browser.submit("/account/tokens", revoke.group(1), Map.of()).statusCode()).isEqualTo(302);
        HttpResponse<String> afterRevoke = browser.get("/account/tokens");
        assertThat(afterRevoke.body()).contains("The token was revoked", "id=\"revoked-tokens\"");
        assertThat(rows(afterRevoke.body(), "token")).isEmpty();
        assertThat(call("GET", "/api/v1/user", "Bearer " + token, null).status()).as("revoked").isEqualTo(401);
    }

    @Test
    void aReadTokenMadeOnThePageCannotPush() {
        String name = signUp("reader");
        PageClient browser = PageClient.signedIn(baseUri(), name, PASSWORD);
        browser.submit("/account/tokens", "/account/tokens",
                Map.of("description", "read only", "scope", "read", "expiry", "30d"));
        HttpResponse<String> shown = browser.get("/account/tokens");
        Matcher secret = SECRET.matcher(shown.body());
        assertThat(secret.find()).isTrue();
        assertThat(rows(shown.body(), "token")).singleElement().satisfies(row -> assertThat(row)
                .contains("<td class=\"token-scope\">read</td>").doesNotContain("Expired"));

        JsonNode listed = call("GET", "/api/v1/user/tokens", RegistryClient.basic(name, PASSWORD), null).expect(200).json();
        assertThat(listed.get(0).get("expiresAt").isNull()).as("30 days").isFalse();
        assertThat(call("POST", "/api/v1/repositories", "Bearer " + secret.group(1), Map.of("name", name + "/refused"))
                .status()).isEqualTo(403);
    }

    @Test
    void aTokenWithoutDescriptionIsRefusedWithTheApisMessage() {
        String name = signUp("nameless");
        PageClient browser = PageClient.signedIn(baseUri(), name, PASSWORD);
        assertThat(browser.submit("/account/tokens", "/account/tokens", Map.of("description", " ", "scope", "read"))
                .statusCode()).isEqualTo(302);
        HttpResponse<String> page = browser.get("/account/tokens");
        assertThat(page.body()).contains("a token needs a name").doesNotContain("new-token-secret");
        assertThat(call("GET", "/api/v1/user/tokens", RegistryClient.basic(name, PASSWORD), null).expect(200).json()).isEmpty();
    }

    @Test
    void nobodyRevokesAnotherUsersToken() {
        String owner = signUp("holder");
        long id = call("POST", "/api/v1/user/tokens", RegistryClient.basic(owner, PASSWORD), Map.of("name", "mine", "scopes",
                List.of("read"))).expect(201).json().get("id").asLong();
        String other = signUp("thief");
        PageClient thief = PageClient.signedIn(baseUri(), other, PASSWORD);
        HttpResponse<String> refused = thief.submit("/account/tokens", "/account/tokens/" + id + "/revoke", Map.of());
        assertThat(refused.statusCode()).as("as the REST API: not found").isEqualTo(404);
        JsonNode tokens = call("GET", "/api/v1/user/tokens", RegistryClient.basic(owner, PASSWORD), null).expect(200).json();
        assertThat(tokens.get(0).get("revokedAt").isNull()).isTrue();
    }

    // ---- organisations, teams, members

    @Test
    void organisationTeamAndMemberLifecycleThroughTheForms() {
        String owner = signUp("orgowner");
        String member = signUp("orgmember");
        String org = unique("org");
        PageClient browser = PageClient.signedIn(baseUri(), owner, PASSWORD);

        HttpResponse<String> created = browser.submit("/account/organisations", "/account/organisations",
                Map.of("name", org, "description", "The " + org + " people"));
        assertThat(created.statusCode()).isEqualTo(302);
        assertThat(created.headers().firstValue("Location")).hasValueSatisfying(
                location -> assertThat(location).endsWith("/orgs/" + org));
        assertThat(browser.get("/account/organisations").body())
                .contains("<a class=\"organisation-link\" href=\"/orgs/" + org + "\">" + org + "</a>");
        assertThat(call("GET", "/api/v1/orgs/" + org + "/owners", RegistryClient.basic(owner, PASSWORD), null).expect(200).json()
                .get(0).asString()).isEqualTo(owner);

        String secret = org + "/secret";
        call("POST", "/api/v1/repositories", RegistryClient.basic(owner, PASSWORD), Map.of("name", secret, "visibility", "private"))
                .expect(201);
        assertThat(call("GET", "/api/v1/repositories/" + secret, RegistryClient.basic(member, PASSWORD), null).status())
                .as("not a member yet").isEqualTo(404);

        String orgPage = "/orgs/" + org;
        HttpResponse<String> page = browser.get(orgPage);
        assertThat(page.body()).contains("The " + org + " people", "id=\"new-team\"", "id=\"team-name\"",
                "id=\"team-permission\"", "id=\"teams\"", "href=\"/r/" + secret + "\"", "badge private");
        assertThat(browser.submit(orgPage, orgPage + "/teams", Map.of("name", "developers", "permission", "read"))
                .statusCode()).isEqualTo(302);
        assertThat(browser.submit(orgPage, orgPage + "/teams/developers/members", Map.of("username", member))
                .statusCode()).isEqualTo(302);

        HttpResponse<String> withTeam = browser.get(orgPage);
        assertThat(withTeam.body()).contains(member + " is on the team developers.");
        assertThat(rows(withTeam.body(), "team")).singleElement().satisfies(row -> assertThat(row)
                .contains("developers", "<span>" + member + "</span>", "add-member")
                .containsPattern("value=\"read\"\\s+selected"));
        assertThat(call("GET", "/api/v1/repositories/" + secret, RegistryClient.basic(member, PASSWORD), null).status())
                .as("the member reads the organisation's private repository").isEqualTo(200);
        assertThat(call("GET", "/api/v1/orgs/" + org + "/teams/developers", RegistryClient.basic(owner, PASSWORD), null).expect(200)
                .json().get("permission").asString()).isEqualTo("read");

        browser.submit(orgPage, orgPage + "/teams/developers/permission", Map.of("permission", "write"));
        assertThat(call("GET", "/api/v1/orgs/" + org + "/teams/developers", RegistryClient.basic(owner, PASSWORD), null).expect(200)
                .json().get("permission").asString()).isEqualTo("write");

        PageClient memberBrowser = PageClient.signedIn(baseUri(), member, PASSWORD);
        HttpResponse<String> asMember = memberBrowser.get(orgPage);
        assertThat(asMember.statusCode()).isEqualTo(200);
        assertThat(asMember.body()).as("members see teams and the private repository")
                .contains("id=\"teams\"", "href=\"/r/" + secret + "\"", "id=\"owners\"")
                .doesNotContain("id=\"new-team\"", "add-member", "delete-organisation");
        assertThat(memberBrowser.get("/account/organisations").body()).contains("href=\"/orgs/" + org + "\"");

        browser.submit(orgPage, orgPage + "/teams/developers/members", Map.of("username", unique("nobody")));
        assertThat(browser.get(orgPage).body()).as("an owner's mistake shows on the page").contains("no such user");

        browser.submit(orgPage, orgPage + "/owners", Map.of("username", member));
        assertThat(call("GET", "/api/v1/orgs/" + org + "/owners", RegistryClient.basic(owner, PASSWORD), null).expect(200).json())
                .hasSize(2);
        browser.submit(orgPage, orgPage + "/owners/" + member + "/remove", Map.of());
        assertThat(call("GET", "/api/v1/orgs/" + org + "/owners", RegistryClient.basic(owner, PASSWORD), null).expect(200).json())
                .hasSize(1);
        browser.submit(orgPage, orgPage + "/owners/" + owner + "/remove", Map.of());
        assertThat(browser.get(orgPage).body()).contains("an organisation keeps at least one owner");

        browser.submit(orgPage, orgPage + "/teams/developers/members/" + member + "/remove", Map.of());
        assertThat(call("GET", "/api/v1/repositories/" + secret, RegistryClient.basic(member, PASSWORD), null).status())
                .as("removed: the repository is gone for them").isEqualTo(404);
        browser.submit(orgPage, orgPage + "/teams/developers/delete", Map.of());
        assertThat(call("GET", "/api/v1/orgs/" + org + "/teams", RegistryClient.basic(owner, PASSWORD), null).expect(200).json())
                .isEmpty();

        assertThat(browser.get(orgPage).body()).contains("id=\"delete-organisation\"", "data-confirm=");
        HttpResponse<String> deleted = browser.submit(orgPage, orgPage + "/delete", Map.of());
        assertThat(deleted.statusCode()).isEqualTo(302);
        assertThat(deleted.headers().firstValue("Location")).hasValueSatisfying(
                location -> assertThat(location).endsWith("/account/organisations"));
        assertThat(browser.get(orgPage).statusCode()).isEqualTo(404);
        assertThat(call("GET", "/api/v1/orgs/" + org, null, null).status()).isEqualTo(404);
    }

    @Test
    void outsidersSeeThePublicProfileOnlyAndCannotPostTheForms() {
        String owner = signUp("keeper");
        String outsider = signUp("outsider");
        String org = unique("closed");
        call("POST", "/api/v1/orgs", RegistryClient.basic(owner, PASSWORD), Map.of("name", org)).expect(201);
        call("POST", "/api/v1/orgs/" + org + "/teams", RegistryClient.basic(owner, PASSWORD),
                Map.of("name", "core", "permission", "admin")).expect(201);
        call("POST", "/api/v1/repositories", RegistryClient.basic(owner, PASSWORD),
                Map.of("name", org + "/hidden", "visibility", "private")).expect(201);
        call("POST", "/api/v1/repositories", RegistryClient.basic(owner, PASSWORD),
                Map.of("name", org + "/open", "visibility", "public")).expect(201);
        String orgPage = "/orgs/" + org;

        PageClient stranger = PageClient.signedIn(baseUri(), outsider, PASSWORD);
        HttpResponse<String> seen = stranger.get(orgPage);
        assertThat(seen.statusCode()).as("the name is public, as GET /api/v1/orgs/{org}").isEqualTo(200);
        assertThat(seen.body()).contains("href=\"/r/" + org + "/open\"")
                .doesNotContain(org + "/hidden", "id=\"teams\"", "data-team=", "id=\"owners\"", owner, "id=\"new-team\"",
                        "delete-organisation");
        HttpResponse<String> anonymous = new PageClient(baseUri()).get(orgPage);
        assertThat(anonymous.statusCode()).isEqualTo(200);
        assertThat(anonymous.body()).contains(org + "/open").doesNotContain(org + "/hidden", "id=\"teams\"");

        // Forms posted with a valid CSRF token of a page the outsider may open: the services refuse as the API does.
        Map<String, Map<String, String>> forms = Map.of(
                orgPage + "/teams", Map.of("name", "mine", "permission", "admin"),
                orgPage + "/teams/core/members", Map.of("username", outsider),
                orgPage + "/teams/core/permission", Map.of("permission", "read"),
                orgPage + "/teams/core/delete", Map.of(),
                orgPage + "/owners", Map.of("username", outsider),
                orgPage + "/description", Map.of("description", "taken over"),
                orgPage + "/delete", Map.of());
        forms.forEach((action, fields) -> {
            HttpResponse<String> refused = stranger.submit("/account", action, fields);
            assertThat(refused.statusCode()).as(action).isEqualTo(403);
            assertThat(refused.body()).as(action).contains("Not allowed", "only owners of " + org);
        });
        HttpResponse<String> anonymousPost = new PageClient(baseUri()).submit("/sign-in", orgPage + "/owners",
                Map.of("username", outsider));
        assertThat(anonymousPost.statusCode()).as("as the API: sign in first").isEqualTo(401);

        JsonNode teams = call("GET", "/api/v1/orgs/" + org + "/teams", RegistryClient.basic(owner, PASSWORD), null).expect(200).json();
        assertThat(strings(teams, "name")).containsExactly("core");
        assertThat(teams.get(0).get("permission").asString()).isEqualTo("admin");
        assertThat(teams.get(0).get("members")).isEmpty();
        assertThat(strings(call("GET", "/api/v1/orgs/" + org + "/owners", RegistryClient.basic(owner, PASSWORD), null).expect(200)
                .json())).containsExactly(owner);
        assertThat(call("GET", "/api/v1/orgs/" + org, null, null).expect(200).json().get("description").asString())
                .isEmpty();

        assertThat(stranger.get("/orgs/" + unique("missing")).statusCode()).isEqualTo(404);
        assertThat(stranger.get("/orgs/" + outsider).statusCode()).as("a user is no organisation").isEqualTo(404);
    }

    @Test
    void formsWithoutTheCsrfTokenChangeNothing() {
        String name = signUp("forged");
        PageClient browser = PageClient.signedIn(baseUri(), name, PASSWORD);
        String org = unique("forged");
        assertThat(browser.post("/account/tokens", Map.of("description", "forged", "scope", "read")).statusCode())
                .isEqualTo(403);
        assertThat(browser.post("/account/organisations", Map.of("name", org)).statusCode()).isEqualTo(403);
        assertThat(browser.post("/account/email", Map.of("email", "evil@example.com")).statusCode()).isEqualTo(403);
        assertThat(browser.post("/sign-up", Map.of("username", unique("forged"), "email", "f@example.com",
                "password", PASSWORD)).statusCode()).isEqualTo(403);

        assertThat(call("GET", "/api/v1/user/tokens", RegistryClient.basic(name, PASSWORD), null).expect(200).json()).isEmpty();
        assertThat(call("GET", "/api/v1/orgs/" + org, null, null).status()).isEqualTo(404);
        assertThat(call("GET", "/api/v1/user", RegistryClient.basic(name, PASSWORD), null).expect(200).json().get("email").asString())
                .isEqualTo(name + "@example.com");
    }

    // ---- helpers

    /** The text of the element with this id, tags stripped. */
    private static String text(String html, String id) {
        Matcher element = Pattern.compile("id=\"" + id + "\"[^>]*>(.*?)</", Pattern.DOTALL).matcher(html);
        assertThat(element.find()).as("element #%s", id).isTrue();
        return element.group(1).strip();
    }

    /** The HTML of each {@code <tr class="...">} row of that class. */
    private static List<String> rows(String html, String rowClass) {
        Matcher row = Pattern.compile("<tr class=\"" + rowClass + "\".*?</tr>", Pattern.DOTALL).matcher(html);
        List<String> rows = new ArrayList<>();
        while (row.find()) {
            rows.add(row.group());
        }
        return rows;
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Signs a new user up through the REST API, with {@link #PASSWORD}, and returns its name. */
    private String signUp(String prefix) {
        String name = unique(prefix);
        call("POST", "/api/v1/users", null, Map.of("username", name, "email", name + "@example.com", "password", PASSWORD))
                .expect(201);
        return name;
    }

    private static String admin() {
        return RegistryClient.basic(ADMIN, ADMIN_PASSWORD);
    }

    private static List<String> strings(JsonNode array, String field) {
        List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.get(field).asString()));
        return values;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.asString()));
        return values;
    }

    private RestApi.Answer call(String method, String path, String authorization, Object body) {
        return RestApi.with(baseUri(), authorization).call(method, path, body);
    }
}
