package io.berth.hub.metadata;

import static io.berth.support.RegistryClient.OCI_MANIFEST;
import static io.berth.support.RegistryClient.bytes;
import static io.berth.support.RegistryClient.descriptor;
import static io.berth.support.RegistryClient.expect;
import static io.berth.support.RegistryClient.json;
import static io.berth.support.RegistryClient.strings;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;

import io.berth.common.Digest;
import io.berth.support.BerthProcess;
import io.berth.support.PageClient;
import io.berth.support.RegistryClient;
import io.berth.support.RegistryClient.Image;
import io.berth.support.RegistryClient.Upload;
import io.berth.support.TestAccounts;

/**
 * Berth with its metadata on a real PostgreSQL instead of H2: the same Flyway migration and JPA mappings must work
 * there, and what users rely on (sorted listings, exact manifest bytes, referrers, delete, GC, restarts) must behave
 * as it does on H2.
 *
 * <p>The cluster's default collation is not byte order (see {@link PostgresCluster}), and the tags and repository
 * names below sort differently under it, so a listing query that loses its {@code COLLATE "C"} fails here.
 */
class PostgresMetadataTest {

    /** Byte order: B, _x, a, a-1, a.1, a_1, b, z0. A natural-language collation puts _x first and B after b. */
    private static final List<String> TAGS = List.of("a", "b", "B", "a-1", "a.1", "a_1", "_x", "z0");

    /** Byte order: a-b, a.b, a_b, ab. ICU en-US gives a_b, a-b, a.b, ab; glibc en_US ignores punctuation. */
    private static final List<String> REPOSITORIES = List.of("pg/ab", "pg/a_b", "pg/a.b", "pg/a-b");

    /** The admin REST API is outside the token protocol: it takes the credentials with the request. */
    private static final String[] AS_ADMIN = {
        "Authorization", RegistryClient.basic(TestAccounts.ADMIN, TestAccounts.ADMIN_PASSWORD)};

    @TempDir
    static Path temp;

    private static PostgresCluster postgres;
    private static BerthProcess berth;
    private static RegistryClient registry;

    @BeforeAll
    static void startPostgresAndBerth() throws SQLException {
        postgres = PostgresCluster.start();
        assertDefaultCollationIsNotByteOrder();
        startBerth();
    }

    @AfterAll
    static void stopBerthAndPostgres() {
        // Berth first: it holds connections to the cluster. The cluster goes even when Berth's close fails.
        try {
            if (berth != null) {
                berth.close();
            }
        } finally {
            if (postgres != null) {
                postgres.close();
            }
        }
    }

    @Test
    void tagsListComesBackInByteOrderPageByPage() {
        String repository = "pg/tags";
        Image image = registry.pushImage(repository, TAGS.get(0));
        for (String tag : TAGS.subList(1, TAGS.size())) {
            expect(registry.putManifest(repository, tag, OCI_MANIFEST, image.manifest()), 201);
        }
        List<String> byteOrder = sorted(TAGS);

        assertThat(strings(registry.getJson("/v2/" + repository + "/tags/list", 200).get("tags")))
                .containsExactlyElementsOf(byteOrder);

        List<List<String>> pages = registry.pages("/v2/" + repository + "/tags/list?n=3", "tags");
        assertThat(pages).hasSize(3);
        assertThat(pages.stream().flatMap(List::stream)).containsExactlyElementsOf(byteOrder);

        // "last" is compared in byte order too: "B" sorts first, so "_x" and "a" follow it (under a natural-language
        // collation "B" comes after "b", and only "z0" would).
        HttpResponse<byte[]> page = expect(registry.get("/v2/" + repository + "/tags/list?n=2&last=B"), 200);
        assertThat(strings(json(page).get("tags"))).containsExactly("_x", "a");
        assertThat(page.headers().firstValue("Link"))
                .hasValue("</v2/" + repository + "/tags/list?last=a&n=2>; rel=\"next\"");
    }

    @Test
    void catalogListsRepositoriesInByteOrder() {
        for (String repository : REPOSITORIES) {
            registry.pushImage(repository, "latest");
        }
        // Other tests add repositories of their own; the whole catalog must be in byte order, ours included.
        List<String> catalog = registry.pages("/v2/_catalog?n=2", "repositories").stream()
                .flatMap(List::stream).toList();
        assertThat(catalog).containsAll(REPOSITORIES).isEqualTo(sorted(catalog));
        assertThat(catalog.stream().filter(REPOSITORIES::contains)).containsExactlyElementsOf(sorted(REPOSITORIES));

        List<String> unpaged = strings(registry.getJson("/v2/_catalog", 200).get("repositories"));
        assertThat(unpaged).isEqualTo(catalog);
    }

    @Test
    void manifestByTagAndByDigestAreTheBytesPushed() {
        String repository = "pg/manifest";
        Image image = registry.pushImage(repository, "v1");

        HttpResponse<byte[]> byTag = expect(registry.get("/v2/" + repository + "/manifests/v1", "Accept", OCI_MANIFEST), 200);
        HttpResponse<byte[]> byDigest = expect(registry.get("/v2/" + repository + "/manifests/" + image.digest(),
                "Accept", OCI_MANIFEST), 200);
        assertThat(byTag.body()).isEqualTo(image.manifest());
        assertThat(byDigest.body()).isEqualTo(image.manifest());
        assertThat(byTag.headers().firstValue("Docker-Content-Digest")).hasValue(image.digest().toString());
        assertThat(byTag.headers().firstValue("Content-Type")).hasValue(OCI_MANIFEST);
        assertThat(expect(registry.get("/v2/" + repository + "/blobs/" + image.layer()), 200).body())
                .asString().startsWith("layer ");
    }

    @Test
    void artifactWithASubjectIsListedAsAReferrer() {
        String repository = "pg/referrers";
        Image subject = registry.pushImage(repository, "app");
        byte[] sbom = pushSbomFor(repository, subject);

        JsonNode index = registry.getJson("/v2/" + repository + "/referrers/" + subject.digest(), 200);
        assertThat(index.get("manifests")).hasSize(1);
        JsonNode referrer = index.get("manifests").get(0);
        assertThat(referrer.get("digest").asString()).isEqualTo(Digest.sha256(sbom).toString());
        assertThat(referrer.get("size").asLong()).isEqualTo(sbom.length);
        assertThat(referrer.get("artifactType").asString()).isEqualTo("application/vnd.example.sbom");

        JsonNode none = registry.getJson("/v2/" + repository + "/referrers/" + Digest.sha256(bytes("other")), 200);
        assertThat(none.get("manifests")).isEmpty();
    }

    @Test
    void deletingAManifestRemovesItsTags() {
        String repository = "pg/delete";
        Image doomed = registry.pushImage(repository, "old");
        expect(registry.putManifest(repository, "old-too", OCI_MANIFEST, doomed.manifest()), 201);
        registry.pushImage(repository, "kept");

        expect(registry.send("DELETE", "/v2/" + repository + "/manifests/" + doomed.digest(), null), 202);

        assertThat(strings(registry.getJson("/v2/" + repository + "/tags/list", 200).get("tags"))).containsExactly("kept");
        expect(registry.get("/v2/" + repository + "/manifests/old", "Accept", OCI_MANIFEST), 404);
        expect(registry.get("/v2/" + repository + "/manifests/" + doomed.digest(), "Accept", OCI_MANIFEST), 404);
    }

    @Test
    void garbageCollectionRemovesTheDeletedImagesBlobs() {
        String repository = "pg/gc";
        Image deleted = registry.pushImage(repository, "deleted");
        Image kept = registry.pushImage(repository, "kept");
        expect(registry.send("DELETE", "/v2/" + repository + "/manifests/" + deleted.digest(), null), 202);

        HttpResponse<byte[]> gc = expect(registry.send("POST", "/api/v1/admin/gc", null, AS_ADMIN), 200);
        assertThat(gc.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(json(gc).get("blobsRemoved").asLong()).isGreaterThanOrEqualTo(2);

        expect(registry.get("/v2/" + repository + "/blobs/" + deleted.layer()), 404);
        expect(registry.get("/v2/" + repository + "/blobs/" + deleted.config()), 404);
        expect(registry.get("/v2/" + repository + "/blobs/" + kept.layer()), 200);
        expect(registry.get("/v2/" + repository + "/manifests/kept", "Accept", OCI_MANIFEST), 200);
        // The run was recorded (gc_run's identity column and timestamps on PostgreSQL).
        assertThat(json(expect(registry.get("/api/v1/admin/gc", AS_ADMIN), 200)).get("trigger").asString())
                .isEqualTo("admin");
    }

    @Test
    void storagePageSumsEachNamespacesDistinctBlobs() {
        byte[] layer = bytes("layer shared by three repositories " + "x".repeat(3000));
        byte[] config = bytes("{\"architecture\":\"amd64\",\"os\":\"linux\",\"storage\":1}");
        byte[] otherConfig = bytes("{\"architecture\":\"arm64\",\"os\":\"linux\",\"storage\":2}");
        registry.pushImage("pgstorage/a", "1", config, layer, Upload.MONOLITHIC);
        registry.pushImage("pgstorage/b", "1", otherConfig, layer, Upload.MONOLITHIC);
        registry.pushImage("pgshared/c", "1", config, layer, Upload.MONOLITHIC);

        String page = PageClient.signedIn(berth.baseUri(), TestAccounts.ADMIN, TestAccounts.ADMIN_PASSWORD)
                .get("/admin/storage").body();
        // The layer counts once in pgstorage (two repositories link it) and again in pgshared.
        assertThat(namespaceBytes(page, "pgstorage")).isEqualTo(layer.length + config.length + otherConfig.length);
        assertThat(namespaceBytes(page, "pgshared")).isEqualTo(layer.length + config.length);
        Matcher total = Pattern.compile("id=\"storage-total-bytes\" title=\"(\\d+) bytes\"").matcher(page);
        assertThat(total.find()).as(page).isTrue();
        assertThat(Long.parseLong(total.group(1))).isGreaterThanOrEqualTo(layer.length + config.length + otherConfig.length);
    }

    private static long namespaceBytes(String storagePage, String namespace) {
        Matcher row = Pattern.compile("<td class=\"namespace-name\">" + Pattern.quote(namespace)
                + "</td>.*?data-bytes=\"(\\d+)\"", Pattern.DOTALL).matcher(storagePage);
        assertThat(row.find()).as("a row for " + namespace + " in " + storagePage).isTrue();
        return Long.parseLong(row.group(1));
    }

    @Test
    void dataSurvivesARestartOnTheSameDatabase() throws SQLException {
        String repository = "pg/restart";
        Image image = registry.pushImage(repository, "before");

        List<String> migrations = appliedMigrations();
        assertThat(berth.stop()).as("exit code after SIGTERM").isIn(0, 143);
        // Flyway finds its migrations already applied and must not fail or apply anything again.
        startBerth();

        assertThat(strings(registry.getJson("/v2/" + repository + "/tags/list", 200).get("tags"))).containsExactly("before");
        assertThat(expect(registry.get("/v2/" + repository + "/manifests/before", "Accept", OCI_MANIFEST), 200).body())
                .isEqualTo(image.manifest());
        expect(registry.get("/v2/" + repository + "/blobs/" + image.layer()), 200);
        assertThat(appliedMigrations()).isEqualTo(migrations);
        // Writes still work after the restart (identity sequences continue, no duplicate keys).
        registry.pushImage(repository, "after");
        assertThat(strings(registry.getJson("/v2/" + repository + "/tags/list", 200).get("tags")))
                .containsExactly("after", "before");
    }

    private static void startBerth() {
        berth = BerthProcess.start(temp.resolve("data"),
                "--spring.datasource.url=" + postgres.jdbcUrl(),
                "--spring.datasource.username=" + PostgresCluster.USER,
                "--spring.datasource.password=",
                // GC spares blobs younger than the grace period (1h by default); the GC test collects at once.
                "--berth.hub.gc.grace-period=0s");
        registry = berth.registry();
    }

    private static byte[] pushSbomFor(String repository, Image subject) {
        byte[] config = bytes("{\"sbom\":true}");
        Digest configDigest = registry.pushBlob(repository, config);
        byte[] sbom = bytes("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":"
                + descriptor("application/vnd.example.sbom", configDigest, config.length) + ",\"layers\":[],\"subject\":"
                + descriptor(OCI_MANIFEST, subject.digest(), subject.manifest().length) + "}");
        expect(registry.putManifest(repository, Digest.sha256(sbom).toString(), OCI_MANIFEST, sbom), 201);
        return sbom;
    }

    /**
     * The test's premise: ordered by the database's own collation, the tags and the repository names come out
     * differently than in byte order. Were they the same (a C-like default collation), a listing query missing
     * {@code COLLATE "C"} would go unnoticed.
     */
    private static void assertDefaultCollationIsNotByteOrder() throws SQLException {
        for (List<String> names : List.of(TAGS, REPOSITORIES)) {
            assertThat(sortedByDatabase(names))
                    .as("the test cluster's default collation must not be byte order, or it cannot catch a missing "
                            + "COLLATE \"C\" (needs PostgreSQL 15+ with ICU, or the en_US.UTF-8 locale)")
                    .isNotEqualTo(sorted(names));
        }
    }

    private static List<String> sortedByDatabase(List<String> names) throws SQLException {
        try (Connection connection = postgres.connect();
                PreparedStatement query = connection.prepareStatement("SELECT n FROM unnest(?) AS t(n) ORDER BY n")) {
            query.setArray(1, connection.createArrayOf("varchar", names.toArray()));
            List<String> sorted = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    sorted.add(rows.getString(1));
                }
            }
            return sorted;
        }
    }

    private static List<String> appliedMigrations() throws SQLException {
        try (Connection connection = postgres.connect();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL ORDER BY installed_rank");
                ResultSet rows = query.executeQuery()) {
            List<String> versions = new ArrayList<>();
            while (rows.next()) {
                versions.add(rows.getString(1));
            }
            return versions;
        }
    }

    /** Byte order, as the Distribution API means "lexical" (Java's String order equals it for ASCII names). */
    private static List<String> sorted(Collection<String> names) {
        return names.stream().sorted().toList();
    }
}
