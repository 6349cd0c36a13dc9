package io.berth.hub.web.admin;

import static io.berth.support.RegistryClient.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import tools.jackson.databind.JsonNode;

import io.berth.common.Digest;
import io.berth.hub.audit.AuditAction;
import io.berth.hub.audit.AuditLog;
import io.berth.support.BerthIntegrationTest;
import io.berth.support.PageClient;
import io.berth.support.RegistryClient;
import io.berth.support.RegistryClient.Upload;

/** The administrators' pages over HTTP: who may open them, and that what they show and do is real. */
class AdminPagesTest extends BerthIntegrationTest {

    private static final String[] PAGES = {"/admin", "/admin/users", "/admin/storage", "/admin/gc", "/admin/audit"};

    private static final Pattern USER_ROW = Pattern.compile("<tr class=\"user\".*?</tr>", Pattern.DOTALL);
    private static final Pattern NAMESPACE_ROW = Pattern.compile("<tr class=\"namespace\">.*?</tr>", Pattern.DOTALL);
    private static final Pattern AUDIT_ROW = Pattern.compile("<tr class=\"audit-event\".*?</tr>", Pattern.DOTALL);

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    AuditLog audit;

    @Test
    void aPlainUserIsRefusedEveryPageAndEveryForm() {
        String user = createUser("plain");
        PageClient plain = PageClient.signedIn(baseUri(), user, passwordOf(user));
        for (String page : PAGES) {
            HttpResponse<String> refused = plain.get(page);
            assertThat(refused.statusCode()).as(page).isEqualTo(403);
            assertThat(refused.body()).as(page).contains("Not allowed");
        }

        String victim = createUser("victim");
        String wouldBe = "nobody-" + suffix();
        // Valid CSRF tokens (from a page the user may open): what refuses them is the administrators' rule.
        Map<String, Map<String, String>> forms = Map.of(
                "/admin/users", Map.of("username", wouldBe, "email", wouldBe + "@example.com",
                        "password", "a long enough password", "administrator", "true"),
                "/admin/users/" + user + "/administrator", Map.of("administrator", "true"),
                "/admin/users/" + victim + "/delete", Map.of(),
                "/admin/gc", Map.of());
        forms.forEach((action, fields) ->
                assertThat(plain.submit("/sign-in", action, fields).statusCode()).as(action).isEqualTo(403));

        PageClient admin = admin();
        String users = admin.get("/admin/users").body();
        assertThat(userRow(users, wouldBe)).as("not created").isNull();
        assertThat(userRow(users, victim)).as("not deleted").isNotNull();
        assertThat(userRow(users, user)).as("not promoted").doesNotContain("badge admin");
    }

    @Test
    void usersAreCreatedPromotedAndDeletedFromTheUsersPageAndAudited() {
        PageClient admin = admin();
        String user = "made-" + suffix();
        String password = passwordOf(user);

        HttpResponse<String> created = admin.submit("/admin/users", "/admin/users",
                Map.of("username", user, "email", user + "@example.com", "password", password));
        assertThat(created.statusCode()).isEqualTo(302);
        assertThat(created.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/admin/users"));
        HttpResponse<String> list = admin.get("/admin/users");
        assertThat(list.body()).contains("<table id=\"users\">", "<th scope=\"col\">Username</th>", "Created user " + user + ".");
        String row = userRow(list.body(), user);
        assertThat(row).contains(user + "@example.com").doesNotContain("badge admin");
        assertThat(PageClient.signedIn(baseUri(), user, password).get("/admin").statusCode())
                .as("not an administrator yet").isEqualTo(403);

        assertThat(admin.submit("/admin/users", "/admin/users/" + user + "/administrator",
                Map.of("administrator", "true")).statusCode()).isEqualTo(302);
        list = admin.get("/admin/users");
        assertThat(list.body()).contains(user + " is an administrator now.");
        assertThat(userRow(list.body(), user)).contains("badge admin", "Revoke administrator from " + user);
        PageClient promoted = PageClient.signedIn(baseUri(), user, password);
        assertThat(promoted.get("/admin").statusCode()).as("an administrator now").isEqualTo(200);

        assertThat(admin.submit("/admin/users", "/admin/users/" + user + "/delete", Map.of()).statusCode()).isEqualTo(302);
        list = admin.get("/admin/users");
        assertThat(list.body()).contains("Deleted " + user);
        assertThat(userRow(list.body(), user)).isNull();
        assertThat(new PageClient(baseUri()).submit("/sign-in", "/sign-in",
                Map.of("username", user, "password", password)).statusCode()).as("the account is gone").isEqualTo(401);

        // The audit log has the three changes, newest first, and filters by actor and action.
        List<String> rows = auditRows(admin.get("/admin/audit?actor=" + ADMIN).body()).stream()
                .filter(r -> r.contains("user:" + user)).toList();
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0)).contains("account.deleted", "success");
        assertThat(rows.get(1)).contains("membership.changed", "administrator granted");
        assertThat(rows.get(2)).contains("account.created");
        List<String> deletions = auditRows(admin.get("/admin/audit?action=account.deleted").body());
        assertThat(deletions).isNotEmpty().allSatisfy(r -> assertThat(r).contains("account.deleted"));
        assertThat(deletions).anySatisfy(r -> assertThat(r).contains("user:" + user));
    }

    @Test
    void theAuditLogPagesThroughOlderEvents() {
        // Events of a user of its own, recorded as sign-ins record them (a real sign-in costs a password hash each).
        String user = "pager-" + suffix();
        int logins = AuditPage.PAGE_SIZE + 3;
        for (int i = 0; i < logins; i++) {
            audit.record(user, "127.0.0.1", AuditAction.LOGIN, null, true, "sign-in " + i);
        }
        audit.record(user, "127.0.0.1", AuditAction.TOKEN_CREATED, "token:other", true, null);
        PageClient admin = admin();
        String first = admin.get("/admin/audit?actor=" + user + "&action=login").body();
        List<Long> firstIds = auditIds(first);
        assertThat(firstIds).hasSize(AuditPage.PAGE_SIZE).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        Matcher older = Pattern.compile("href=\"([^\"]+)\" id=\"audit-older\"").matcher(first);
        assertThat(older.find()).as("a link to older events").isTrue();
        String secondPage = admin.get(older.group(1).replace("&amp;", "&")).body();
        List<Long> secondIds = auditIds(secondPage);
        assertThat(secondIds).hasSize(logins - AuditPage.PAGE_SIZE);
        assertThat(secondIds.get(0)).isLessThan(firstIds.get(firstIds.size() - 1));
        assertThat(secondPage).doesNotContain("id=\"audit-older\"").contains("id=\"audit-newest\"");
        assertThat(auditRows(secondPage)).allSatisfy(r -> assertThat(r).contains(">" + user + "<", ">login<"));
        assertThat(secondPage).contains("sign-in 0").doesNotContain("sign-in 3<");
        assertThat(first).contains("sign-in " + (logins - 1)).doesNotContain("token:other");
    }

    @Test
    void storageShowsTheDistinctBlobBytesOfEachNamespaceAndTheTotal() {
        RegistryClient registry = registry();
        String namespace = "storage-" + suffix();
        String other = "storage-" + suffix();
        byte[] layer = bytes("layer " + UUID.randomUUID() + "x".repeat(5000));
        byte[] config1 = bytes("{\"architecture\":\"amd64\",\"os\":\"linux\",\"id\":\"" + UUID.randomUUID() + "\"}");
        byte[] config2 = bytes("{\"architecture\":\"arm64\",\"os\":\"linux\",\"id\":\"" + UUID.randomUUID() + "\"}");
        registry.pushImage(namespace + "/app", "1", config1, layer, Upload.MONOLITHIC);
        // The same layer again in a second repository of the namespace (counted once) and in another namespace.
        registry.pushImage(namespace + "/tools", "1", config2, layer, Upload.MONOLITHIC);
        registry.pushImage(other + "/copy", "1", config1, layer, Upload.MONOLITHIC);

        HttpResponse<String> page = admin().get("/admin/storage");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<table id=\"storage\">", "distinct blobs");
        String row = namespaceRow(page.body(), namespace);
        long expected = layer.length + config1.length + config2.length;
        assertThat(bytesOf(row)).isEqualTo(expected);
        assertThat(row).contains("title=\"" + expected + " bytes\"",
                        String.format(Locale.ROOT, ">%.1f KiB<", expected / 1024.0))
                .contains("<td class=\"number namespace-repositories\">2</td>", "<td class=\"number namespace-blobs\">3</td>");
        assertThat(bytesOf(namespaceRow(page.body(), other))).isEqualTo(layer.length + config1.length);

        List<Long> sizes = new ArrayList<>();
        Matcher rows = NAMESPACE_ROW.matcher(page.body());
        while (rows.find()) {
            sizes.add(bytesOf(rows.group()));
        }
        assertThat(sizes).as("largest first").isSortedAccordingTo((a, b) -> Long.compare(b, a));

        Matcher total = Pattern.compile("id=\"storage-total-bytes\" title=\"(\\d+) bytes\"").matcher(page.body());
        assertThat(total.find()).isTrue();
        // The total counts each stored blob once: what the blob table holds, counted apart from the page's code.
        Long stored = jdbc.queryForObject("SELECT COALESCE(SUM(size), 0) FROM blob", Long.class);
        assertThat(Long.parseLong(total.group(1))).isEqualTo(stored).isGreaterThanOrEqualTo(expected);
    }

    @Test
    void garbageCollectionFromThePageRemovesAnUnreferencedBlobAndShowsTheResult() {
        RegistryClient registry = registry();
        String repository = "gc-page-" + suffix() + "/stray";
        byte[] content = bytes("pushed but never in a manifest " + UUID.randomUUID());
        Digest blob = registry.pushBlob(repository, content);
        assertThat(registry.head("/v2/" + repository + "/blobs/" + blob).statusCode()).isEqualTo(200);
        // Older than the grace period (1h): the blob and its link were pushed, as far as the collector sees, 2 days ago.
        Timestamp longAgo = Timestamp.from(Instant.now().minus(Duration.ofDays(2)));
        assertThat(jdbc.update("UPDATE blob SET created_at = ? WHERE digest = ?", longAgo, blob.toString())).isEqualTo(1);
        assertThat(jdbc.update("UPDATE repository_blob SET created_at = ?, last_used_at = ? WHERE digest = ?",
                longAgo, longAgo, blob.toString())).isEqualTo(1);

        PageClient admin = admin();
        HttpResponse<String> before = admin.get("/admin/gc");
        assertThat(before.body()).contains("id=\"run-gc\"", "Run garbage collection now");
        HttpResponse<String> ran = admin.submit("/admin/gc", "/admin/gc", Map.of());
        assertThat(ran.statusCode()).isEqualTo(302);

        assertThat(registry.head("/v2/" + repository + "/blobs/" + blob).statusCode()).isEqualTo(404);
        String page = admin.get("/admin/gc").body();
        long blobsRemoved = Long.parseLong(field(page, "gc-blobs-removed"));
        long bytesFreed = Long.parseLong(field(page, "gc-bytes-freed"));
        assertThat(blobsRemoved).isGreaterThanOrEqualTo(1);
        assertThat(bytesFreed).isGreaterThanOrEqualTo(content.length);
        assertThat(page).contains("Garbage collection removed " + blobsRemoved + " blobs (" + bytesFreed + " bytes).",
                "run by an administrator");
        // The page shows the run the REST API reports as the last one.
        JsonNode last = RegistryClient.json(RegistryClient.expect(registry.get("/api/v1/admin/gc",
                "Authorization", RegistryClient.basic(ADMIN, ADMIN_PASSWORD)), 200));
        assertThat(last.get("blobsRemoved").asLong()).isEqualTo(blobsRemoved);
        assertThat(last.get("bytesFreed").asLong()).isEqualTo(bytesFreed);
        assertThat(field(page, "gc-links-removed")).isEqualTo(Long.toString(last.get("linksRemoved").asLong()));
        assertThat(page).contains("datetime=\"" + last.get("startedAt").asString() + "\"");
        assertThat(field(page, "gc-duration")).matches("\\d+ ms");
        assertThat(admin.get("/admin").body()).contains("id=\"last-gc\"").doesNotContain("No collection has run yet");
        // Who ran it, and what it freed, is in the audit log.
        assertThat(auditRows(admin.get("/admin/audit?actor=" + ADMIN + "&action=gc.run").body()))
                .anySatisfy(row -> assertThat(row).contains("gc.run", "removed " + blobsRemoved + " blobs ("
                        + bytesFreed + " bytes)"));
    }

    private PageClient admin() {
        return PageClient.signedIn(baseUri(), ADMIN, ADMIN_PASSWORD);
    }

    private String createUser(String prefix) {
        String user = prefix + "-" + suffix();
        HttpResponse<String> created = post("/api/v1/users", "{\"username\":\"" + user + "\",\"email\":\"" + user
                + "@example.com\",\"password\":\"" + passwordOf(user) + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return user;
    }

    private HttpResponse<String> post(String path, String json) {
        try {
            return HTTP.send(HttpRequest.newBuilder(baseUri().resolve(path)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String passwordOf(String user) {
        return "the password of " + user;
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static String userRow(String page, String user) {
        Matcher rows = USER_ROW.matcher(page);
        while (rows.find()) {
            if (rows.group().contains("<td class=\"user-name\">" + user + "</td>")) {
                return rows.group();
            }
        }
        return null;
    }

    private static String namespaceRow(String page, String namespace) {
        Matcher rows = NAMESPACE_ROW.matcher(page);
        while (rows.find()) {
            if (rows.group().contains("<td class=\"namespace-name\">" + namespace + "</td>")) {
                return rows.group();
            }
        }
        throw new AssertionError("no row for namespace " + namespace);
    }

    private static long bytesOf(String namespaceRow) {
        Matcher bytes = Pattern.compile("class=\"number namespace-bytes\"[^>]*data-bytes=\"(\\d+)\"").matcher(namespaceRow);
        assertThat(bytes.find()).as(namespaceRow).isTrue();
        return Long.parseLong(bytes.group(1));
    }

    private static List<String> auditRows(String page) {
        List<String> rows = new ArrayList<>();
        Matcher matcher = AUDIT_ROW.matcher(page);
        while (matcher.find()) {
            rows.add(matcher.group());
        }
        return rows;
    }

    private static List<Long> auditIds(String page) {
        return auditRows(page).stream().map(row -> {
            Matcher id = Pattern.compile("data-id=\"(\\d+)\"").matcher(row);
            assertThat(id.find()).isTrue();
            return Long.parseLong(id.group(1));
        }).toList();
    }

    /** The text of the element with this id (no markup inside). */
    private static String field(String page, String id) {
        Matcher field = Pattern.compile("id=\"" + id + "\"[^>]*>([^<]*)<").matcher(page);
        assertThat(field.find()).as(id).isTrue();
        return field.group(1).strip();
    }
}
