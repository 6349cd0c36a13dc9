package io.berth.hub.distribution;

import static io.berth.support.RegistryClient.OCI_INDEX;
import static io.berth.support.RegistryClient.OCI_MANIFEST;
import static io.berth.support.RegistryClient.bytes;
import static io.berth.support.RegistryClient.descriptor;
import static io.berth.support.RegistryClient.expect;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.berth.common.Digest;
import io.berth.common.DigestAlgorithm;
import io.berth.support.BerthIntegrationTest;
import io.berth.support.RegistryClient;

/**
 * The Distribution API over raw HTTP: status codes, headers and error bodies as the OCI Distribution Spec and its
 * conformance suite check them.
 */
class DistributionApiTest extends BerthIntegrationTest {

    private RegistryClient registry;
    private String repo;

    @BeforeEach
    void setUp() {
        registry = registry();
        repo = "api/" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void baseEndpointAnswersWithTheApiVersion() {
        HttpResponse<byte[]> response = expect(registry.get("/v2/"), 200);
        assertThat(new String(response.body())).isEqualTo("{}");
        assertThat(response.headers().firstValue("Docker-Distribution-API-Version")).hasValue("registry/2.0");
        HttpResponse<byte[]> redirect = expect(registry.get("/v2"), 301);
        assertThat(redirect.headers().firstValue("Location")).hasValue("/v2/");
    }

    @Test
    void monolithicPostStoresTheBlobAndServesRanges() {
        byte[] content = bytes("0123456789abcdefghij");
        Digest digest = Digest.sha256(content);
        HttpResponse<byte[]> created = expect(registry.send("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + digest,
                content, "Content-Type", "application/octet-stream"), 201);
        assertThat(created.headers().firstValue("Location")).hasValue("/v2/" + repo + "/blobs/" + digest);
        assertThat(created.headers().firstValue("Docker-Content-Digest")).hasValue(digest.toString());

        HttpResponse<byte[]> head = expect(registry.head("/v2/" + repo + "/blobs/" + digest), 200);
        assertThat(head.headers().firstValue("Content-Length")).hasValue("20");
        assertThat(head.headers().firstValue("Docker-Content-Digest")).hasValue(digest.toString());
        HttpResponse<byte[]> blob = expect(registry.get("/v2/" + repo + "/blobs/" + digest), 200);
        assertThat(blob.body()).isEqualTo(content);
        // Content-addressed bytes never change: cacheable for a year, and no session or security header in the way.
        assertThat(blob.headers().allValues("Cache-Control")).containsExactly("max-age=31536000");
        assertThat(blob.headers().firstValue("Set-Cookie")).isEmpty();

        HttpResponse<byte[]> partial = expect(registry.get("/v2/" + repo + "/blobs/" + digest, "Range", "bytes=2-4"), 206);
        assertThat(new String(partial.body())).isEqualTo("234");
        assertThat(partial.headers().firstValue("Content-Range")).hasValue("bytes 2-4/20");
        assertThat(new String(expect(registry.get("/v2/" + repo + "/blobs/" + digest, "Range", "bytes=-3"), 206).body()))
                .isEqualTo("hij");
        assertThat(new String(expect(registry.get("/v2/" + repo + "/blobs/" + digest, "Range", "bytes=15-100"), 206).body()))
                .isEqualTo("fghij");

        HttpResponse<byte[]> outside = expect(registry.get("/v2/" + repo + "/blobs/" + digest, "Range", "bytes=30-"), 416);
        assertThat(outside.headers().firstValue("Content-Range")).hasValue("bytes */20");
        assertThat(outside.headers().firstValue("Content-Length")).hasValue(String.valueOf(outside.body().length));
        // RFC 9110: a range whose last byte comes before its first is invalid, and so are several ranges here; both are
        // ignored, and the whole blob answered.
        assertThat(expect(registry.get("/v2/" + repo + "/blobs/" + digest, "Range", "bytes=5-2"), 200).body())
                .isEqualTo(content);
        assertThat(expect(registry.get("/v2/" + repo + "/blobs/" + digest, "Range", "bytes=0-1,5-6"), 200).body())
                .isEqualTo(content);
        assertThat(new String(expect(registry.get("/v2/" + repo + "/blobs/" + digest, "Range", "bytes=-50"), 206).body()))
                .isEqualTo("0123456789abcdefghij");
        expect(registry.get("/v2/" + repo + "/blobs/" + digest, "Range", "bytes=-0"), 416);
    }

    @Test
    void chunkedUploadRefusesOutOfOrderChunksAndResumes() {
        byte[] content = bytes("chunk-one-chunk-two!");
        HttpResponse<byte[]> start = expect(registry.send("POST", "/v2/" + repo + "/blobs/uploads/", null), 202);
        String location = start.headers().firstValue("Location").orElseThrow();
        assertThat(start.headers().firstValue("Range")).hasValue("0-0");
        assertThat(start.headers().firstValue("Docker-Upload-UUID")).isPresent();

        HttpResponse<byte[]> gap = expect(registry.send("PATCH", location, Arrays.copyOfRange(content, 10, 20),
                "Content-Range", "10-19", "Content-Type", "application/octet-stream"), 416);
        assertThat(errorCode(gap)).isEqualTo("BLOB_UPLOAD_INVALID");

        HttpResponse<byte[]> first = expect(registry.send("PATCH", location, Arrays.copyOfRange(content, 0, 10),
                "Content-Range", "0-9", "Content-Type", "application/octet-stream"), 202);
        assertThat(first.headers().firstValue("Range")).hasValue("0-9");
        expect(registry.send("PATCH", location, Arrays.copyOfRange(content, 0, 10), "Content-Range", "0-9"), 416);

        HttpResponse<byte[]> status = expect(registry.get(location), 204);
        assertThat(status.headers().firstValue("Range")).hasValue("0-9");
        String next = status.headers().firstValue("Location").orElseThrow();
        HttpResponse<byte[]> second = expect(registry.send("PATCH", next, Arrays.copyOfRange(content, 10, 20),
                "Content-Range", "10-19"), 202);
        assertThat(second.headers().firstValue("Range")).hasValue("0-19");

        Digest digest = Digest.sha256(content);
        expect(registry.send("PUT", next + "?digest=" + digest, null), 201);
        assertThat(registry.get("/v2/" + repo + "/blobs/" + digest).body()).isEqualTo(content);
    }

    @Test
    void streamedUploadWithTheWrongDigestIsRefusedAndNothingIsStored() {
        byte[] content = bytes("streamed bytes");
        String location = expect(registry.send("POST", "/v2/" + repo + "/blobs/uploads/", null), 202)
                .headers().firstValue("Location").orElseThrow();
        expect(registry.send("PATCH", location, content), 202);
        Digest wrong = Digest.sha256(bytes("something else"));
        HttpResponse<byte[]> refused = expect(registry.send("PUT", location + "?digest=" + wrong, null), 400);
        assertThat(errorCode(refused)).isEqualTo("DIGEST_INVALID");
        expect(registry.head("/v2/" + repo + "/blobs/" + wrong), 404);
        expect(registry.head("/v2/" + repo + "/blobs/" + Digest.sha256(content)), 404);
        expect(registry.send("PUT", location + "?digest=" + wrong, null), 404);
    }

    @Test
    void cancelledUploadIsGone() {
        String location = expect(registry.send("POST", "/v2/" + repo + "/blobs/uploads/", null), 202)
                .headers().firstValue("Location").orElseThrow();
        expect(registry.send("DELETE", location, null), 204);
        assertThat(errorCode(expect(registry.get(location), 404))).isEqualTo("BLOB_UPLOAD_UNKNOWN");
        expect(registry.get("/v2/" + repo + "/blobs/uploads/not-a-uuid"), 404);
    }

    @Test
    void sha512DigestsWorkForBlobsAndManifests() {
        byte[] config = RegistryClient.config();
        byte[] layer = bytes("layer for sha512");
        Digest configDigest = registry.pushBlob(repo, config, DigestAlgorithm.SHA512);
        Digest layerDigest = registry.pushBlob(repo, layer, DigestAlgorithm.SHA512);
        assertThat(configDigest.toString()).startsWith("sha512:");
        HttpResponse<byte[]> blob = expect(registry.get("/v2/" + repo + "/blobs/" + layerDigest), 200);
        assertThat(blob.headers().firstValue("Docker-Content-Digest")).hasValue(layerDigest.toString());

        byte[] manifest = RegistryClient.imageManifest(configDigest, config.length, layerDigest, layer.length);
        Digest manifestDigest = Digest.of(DigestAlgorithm.SHA512, manifest);
        HttpResponse<byte[]> put = expect(registry.putManifest(repo, manifestDigest + "?tag=stable&tag=v2", OCI_MANIFEST,
                manifest), 201);
        assertThat(put.headers().firstValue("Docker-Content-Digest")).hasValue(manifestDigest.toString());
        assertThat(put.headers().allValues("OCI-Tag")).containsExactly("stable", "v2");
        assertThat(new String(registry.get("/v2/" + repo + "/tags/list").body())).contains("[\"stable\",\"v2\"]");
        HttpResponse<byte[]> got = expect(registry.get("/v2/" + repo + "/manifests/" + manifestDigest, "Accept", OCI_MANIFEST), 200);
        assertThat(got.body()).isEqualTo(manifest);
        assertThat(got.headers().firstValue("Docker-Content-Digest")).hasValue(manifestDigest.toString());
    }

    @Test
    void crossRepositoryMountLinksOnlyWhatTheSourceHas() {
        byte[] content = bytes("mount me " + repo);
        Digest digest = registry.pushBlob(repo, content);
        String target = repo + "-copy";
        expect(registry.head("/v2/" + target + "/blobs/" + digest), 404);

        HttpResponse<byte[]> mounted = expect(registry.send("POST",
                "/v2/" + target + "/blobs/uploads/?mount=" + digest + "&from=" + repo, null), 201);
        assertThat(mounted.headers().firstValue("Location")).hasValue("/v2/" + target + "/blobs/" + digest);
        assertThat(registry.get("/v2/" + target + "/blobs/" + digest).body()).isEqualTo(content);

        Digest absent = Digest.sha256(bytes("never pushed " + repo));
        HttpResponse<byte[]> fallback = expect(registry.send("POST",
                "/v2/" + target + "/blobs/uploads/?mount=" + absent + "&from=" + repo, null), 202);
        assertThat(fallback.headers().firstValue("Location").orElseThrow()).startsWith("/v2/" + target + "/blobs/uploads/");
    }

    @Test
    void manifestsAreValidatedStoredAndServedByteForByte() {
        byte[] config = RegistryClient.config();
        byte[] layer = bytes("a layer " + repo);
        Digest configDigest = Digest.sha256(config);
        Digest layerDigest = Digest.sha256(layer);
        byte[] manifest = RegistryClient.imageManifest(configDigest, config.length, layerDigest, layer.length);

        HttpResponse<byte[]> missing = expect(registry.putManifest(repo, "v1", OCI_MANIFEST, manifest), 400);
        assertThat(errorCode(missing)).isEqualTo("MANIFEST_BLOB_UNKNOWN");

        registry.pushBlob(repo, config);
        registry.pushBlob(repo, layer);
        Digest digest = Digest.sha256(manifest);
        HttpResponse<byte[]> put = expect(registry.putManifest(repo, "v1", OCI_MANIFEST, manifest), 201);
        assertThat(put.headers().firstValue("Docker-Content-Digest")).hasValue(digest.toString());
        assertThat(put.headers().firstValue("Location")).hasValue("/v2/" + repo + "/manifests/" + digest);

        for (String reference : new String[] {"v1", digest.toString()}) {
            HttpResponse<byte[]> got = expect(registry.get("/v2/" + repo + "/manifests/" + reference, "Accept", OCI_MANIFEST), 200);
            assertThat(got.body()).isEqualTo(manifest);
            assertThat(got.headers().firstValue("Content-Type")).hasValue(OCI_MANIFEST);
            assertThat(got.headers().firstValue("Docker-Content-Digest")).hasValue(digest.toString());
            HttpResponse<byte[]> head = expect(registry.head("/v2/" + repo + "/manifests/" + reference), 200);
            assertThat(head.headers().firstValue("Content-Length")).hasValue(String.valueOf(manifest.length));
        }
        expect(registry.get("/v2/" + repo + "/manifests/v1", "If-None-Match", "\"" + digest + "\""), 304);
        HttpResponse<byte[]> dockerOnly = expect(registry.get("/v2/" + repo + "/manifests/v1",
                "Accept", "application/vnd.docker.distribution.manifest.v2+json"), 404);
        assertThat(errorCode(dockerOnly)).isEqualTo("MANIFEST_UNKNOWN");

        Digest other = Digest.sha256(bytes("other"));
        assertThat(errorCode(expect(registry.putManifest(repo, other.toString(), OCI_MANIFEST, manifest), 400)))
                .isEqualTo("DIGEST_INVALID");
        assertThat(errorCode(expect(registry.putManifest(repo, "broken", OCI_MANIFEST, bytes("{\"schemaVersion\":2,")), 400)))
                .isEqualTo("MANIFEST_INVALID");
        assertThat(errorCode(expect(registry.putManifest(repo, "-starts-with-dash", OCI_MANIFEST, manifest), 400)))
                .isEqualTo("TAG_INVALID");
        // algorithm:encoded is digest syntax, so this is an unsupported digest rather than a tag
        assertThat(errorCode(expect(registry.putManifest(repo, "bad:tag", OCI_MANIFEST, manifest), 400)))
                .isEqualTo("DIGEST_INVALID");
        expect(registry.putManifest(repo, "huge", OCI_MANIFEST, new byte[4 * 1024 * 1024 + 1]), 413);
        assertThat(errorCode(expect(registry.get("/v2/" + repo + "/manifests/.INVALID_MANIFEST_NAME"), 404)))
                .isEqualTo("MANIFEST_UNKNOWN");
        expect(registry.get("/v2/" + repo + "/manifests/nosuchtag"), 404);
    }

    @Test
    void indexNeedsItsChildManifests() {
        Digest amd64 = registry.pushImage(repo, "amd64").digest();
        Digest arm64 = registry.pushImage(repo, "arm64").digest();
        Digest absent = Digest.sha256(bytes("absent child"));
        String children = "{\"mediaType\":\"" + OCI_MANIFEST + "\",\"digest\":\"" + amd64 + "\",\"size\":" + size(amd64)
                + ",\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}},"
                + "{\"mediaType\":\"" + OCI_MANIFEST + "\",\"digest\":\"%s\",\"size\":%d"
                + ",\"platform\":{\"architecture\":\"arm64\",\"os\":\"linux\"}}";
        byte[] broken = bytes("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX + "\",\"manifests\":["
                + String.format(children, absent, 10) + "]}");
        assertThat(errorCode(expect(registry.putManifest(repo, "multi", OCI_INDEX, broken), 400)))
                .isEqualTo("MANIFEST_BLOB_UNKNOWN");
        byte[] index = bytes("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX + "\",\"manifests\":["
                + String.format(children, arm64, size(arm64)) + "]}");
        expect(registry.putManifest(repo, "multi", OCI_INDEX, index), 201);
        HttpResponse<byte[]> got = expect(registry.get("/v2/" + repo + "/manifests/multi",
                "Accept", OCI_INDEX + ", " + OCI_MANIFEST), 200);
        assertThat(got.body()).isEqualTo(index);
        assertThat(got.headers().firstValue("Content-Type")).hasValue(OCI_INDEX);
    }

    @Test
    void referrersListManifestsWithASubjectAndFilterByArtifactType() {
        Digest subject = registry.pushImage(repo, "subject").digest();
        byte[] empty = bytes("{}");
        Digest emptyDigest = registry.pushBlob(repo, empty);
        byte[] signature = bytes("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\","
                + "\"artifactType\":\"application/vnd.example.signature\",\"config\":"
                + descriptor("application/vnd.oci.empty.v1+json", emptyDigest, 2) + ",\"layers\":["
                + descriptor("application/vnd.oci.empty.v1+json", emptyDigest, 2) + "],\"subject\":"
                + descriptor(OCI_MANIFEST, subject, size(subject))
                + ",\"annotations\":{\"org.example.kind\":\"signature\"}}");
        HttpResponse<byte[]> put = expect(registry.putManifest(repo, Digest.sha256(signature).toString(), OCI_MANIFEST,
                signature), 201);
        assertThat(put.headers().firstValue("OCI-Subject")).hasValue(subject.toString());
        byte[] config = bytes("{\"sbom\":true}");
        Digest sbomConfig = registry.pushBlob(repo, config);
        byte[] sbom = bytes("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":"
                + descriptor("application/vnd.example.sbom", sbomConfig, config.length) + ",\"layers\":[],\"subject\":"
                + descriptor(OCI_MANIFEST, subject, size(subject)) + "}");
        expect(registry.putManifest(repo, "sbom", OCI_MANIFEST, sbom), 201);

        HttpResponse<byte[]> all = expect(registry.get("/v2/" + repo + "/referrers/" + subject), 200);
        assertThat(all.headers().firstValue("Content-Type")).hasValue(OCI_INDEX);
        String body = new String(all.body());
        assertThat(body).contains("\"schemaVersion\":2", "\"mediaType\":\"" + OCI_INDEX + "\"",
                Digest.sha256(signature).toString(), Digest.sha256(sbom).toString(),
                "\"artifactType\":\"application/vnd.example.sbom\"", "\"org.example.kind\":\"signature\"");

        HttpResponse<byte[]> filtered = expect(registry.get("/v2/" + repo + "/referrers/" + subject
                + "?artifactType=application/vnd.example.signature"), 200);
        assertThat(filtered.headers().firstValue("OCI-Filters-Applied")).hasValue("artifactType");
        assertThat(new String(filtered.body())).contains(Digest.sha256(signature).toString())
                .doesNotContain(Digest.sha256(sbom).toString());

        HttpResponse<byte[]> none = expect(registry.get("/v2/" + repo + "/referrers/" + Digest.sha256(bytes("x"))), 200);
        assertThat(new String(none.body())).contains("\"manifests\":[]");
        expect(registry.get("/v2/nosuch/repository/referrers/" + subject), 200);
        expect(registry.get("/v2/" + repo + "/referrers/sha256:nothex"), 400);
    }

    @Test
    void tagsAreSortedAndPaginated() {
        Digest manifest = registry.pushImage(repo, "b").digest();
        byte[] content = registry.get("/v2/" + repo + "/manifests/" + manifest, "Accept", OCI_MANIFEST).body();
        for (String tag : new String[] {"c", "a", "B", "d", "a-1"}) {
            expect(registry.putManifest(repo, tag, OCI_MANIFEST, content), 201);
        }
        assertThat(new String(expect(registry.get("/v2/" + repo + "/tags/list"), 200).body()))
                .isEqualTo("{\"name\":\"" + repo + "\",\"tags\":[\"B\",\"a\",\"a-1\",\"b\",\"c\",\"d\"]}");
        HttpResponse<byte[]> page = expect(registry.get("/v2/" + repo + "/tags/list?n=2"), 200);
        assertThat(new String(page.body())).contains("[\"B\",\"a\"]");
        assertThat(page.headers().firstValue("Link")).hasValue("</v2/" + repo + "/tags/list?last=a&n=2>; rel=\"next\"");
        HttpResponse<byte[]> last = expect(registry.get("/v2/" + repo + "/tags/list?n=3&last=a-1"), 200);
        assertThat(new String(last.body())).contains("[\"b\",\"c\",\"d\"]");
        assertThat(last.headers().firstValue("Link")).isEmpty();
        assertThat(new String(expect(registry.get("/v2/" + repo + "/tags/list?last=c"), 200).body())).contains("[\"d\"]");
        HttpResponse<byte[]> zero = expect(registry.get("/v2/" + repo + "/tags/list?n=0"), 200);
        assertThat(new String(zero.body())).contains("\"tags\":[]");
        assertThat(zero.headers().firstValue("Link")).isEmpty();
        assertThat(errorCode(expect(registry.get("/v2/" + repo + "-none/tags/list"), 404))).isEqualTo("NAME_UNKNOWN");
    }

    @Test
    void catalogPaginatesInNameOrder() {
        String prefix = "catalog" + UUID.randomUUID().toString().substring(0, 6);
        for (String name : new String[] {prefix + "/b", prefix + "/a", prefix + "/c"}) {
            registry.pushBlob(name, bytes(name));
        }
        HttpResponse<byte[]> page = expect(registry.get("/v2/_catalog?n=2&last=" + prefix), 200);
        assertThat(new String(page.body())).isEqualTo("{\"repositories\":[\"" + prefix + "/a\",\"" + prefix + "/b\"]}");
        assertThat(page.headers().firstValue("Link").orElseThrow()).contains("last=" + prefix + "%2Fb", "n=2");
    }

    @Test
    void concurrentPushesOfOneBlobAndOneTagAllSucceed() throws Exception {
        byte[] content = bytes("pushed by many at once " + repo);
        Digest digest = Digest.sha256(content);
        Digest configDigest = registry.pushBlob(repo, bytes("{\"c\":1}"));
        byte[] manifest = RegistryClient.imageManifest(configDigest, 7, digest, content.length);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> blobPushes = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String target = i % 2 == 0 ? repo : repo + "-twin";
                blobPushes.add(pool.submit(() -> registry.send("POST", "/v2/" + target + "/blobs/uploads/?digest=" + digest,
                        content).statusCode()));
            }
            for (Future<Integer> push : blobPushes) {
                assertThat(push.get(1, TimeUnit.MINUTES)).isEqualTo(201);
            }
            List<Future<Integer>> manifestPushes = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                manifestPushes.add(pool.submit(() -> registry.putManifest(repo, "race", OCI_MANIFEST, manifest).statusCode()));
            }
            for (Future<Integer> push : manifestPushes) {
                assertThat(push.get(1, TimeUnit.MINUTES)).isEqualTo(201);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(expect(registry.get("/v2/" + repo + "-twin/blobs/" + digest), 200).body()).isEqualTo(content);
        assertThat(expect(registry.get("/v2/" + repo + "/manifests/race", "Accept", OCI_MANIFEST), 200).body())
                .isEqualTo(manifest);
        assertThat(new String(registry.get("/v2/" + repo + "/tags/list").body())).contains("[\"race\"]");
    }

    @Test
    void deletesRemoveTagsManifestsAndBlobLinks() {
        Digest manifest = registry.pushImage(repo, "latest").digest();
        byte[] content = registry.get("/v2/" + repo + "/manifests/latest", "Accept", OCI_MANIFEST).body();
        expect(registry.putManifest(repo, "other", OCI_MANIFEST, content), 201);

        expect(registry.send("DELETE", "/v2/" + repo + "/manifests/other", null), 202);
        expect(registry.get("/v2/" + repo + "/manifests/other"), 404);
        expect(registry.get("/v2/" + repo + "/manifests/latest"), 200);

        expect(registry.send("DELETE", "/v2/" + repo + "/manifests/" + manifest, null), 202);
        expect(registry.head("/v2/" + repo + "/manifests/" + manifest), 404);
        expect(registry.head("/v2/" + repo + "/manifests/latest"), 404);
        assertThat(new String(registry.get("/v2/" + repo + "/tags/list").body())).contains("\"tags\":[]");
        expect(registry.send("DELETE", "/v2/" + repo + "/manifests/" + manifest, null), 404);

        Digest blob = registry.pushBlob(repo, bytes("deletable " + repo));
        expect(registry.send("DELETE", "/v2/" + repo + "/blobs/" + blob, null), 202);
        expect(registry.head("/v2/" + repo + "/blobs/" + blob), 404);
        assertThat(errorCode(expect(registry.send("DELETE", "/v2/" + repo + "/blobs/" + blob, null), 404)))
                .isEqualTo("BLOB_UNKNOWN");
        registry.pushBlob(repo, bytes("deletable " + repo));
        expect(registry.head("/v2/" + repo + "/blobs/" + blob), 200);
    }

    @Test
    void malformedRequestsGetClientErrorsInTheSpecFormat() {
        assertThat(errorCode(expect(registry.get("/v2/Bad/Name/manifests/latest"), 400))).isEqualTo("NAME_INVALID");
        assertThat(errorCode(expect(registry.get("/v2/" + repo + "/blobs/sha256:xyz"), 400))).isEqualTo("DIGEST_INVALID");
        assertThat(errorCode(expect(registry.get("/v2/" + repo + "/blobs/md5:abc"), 400))).isEqualTo("DIGEST_INVALID");
        expect(registry.get("/v2/" + repo + "/nothing/here"), 404);
        expect(registry.send("POST", "/v2/" + repo + "/blobs/uploads/?digest=sha256:zz", bytes("x")), 400);
        HttpResponse<byte[]> badRange = expect(registry.send("POST", "/v2/" + repo + "/blobs/uploads/", null), 202);
        String location = badRange.headers().firstValue("Location").orElseThrow();
        expect(registry.send("PATCH", location, bytes("abc"), "Content-Range", "banana"), 416);
        expect(registry.send("PUT", location, null), 400);
        assertThat(registry.get("/v2/" + repo + "/blobs/sha256:" + "0".repeat(64)).headers()
                .firstValue("Content-Type")).hasValue("application/json");
    }

    private long size(Digest manifest) {
        return registry.get("/v2/" + repo + "/manifests/" + manifest, "Accept", OCI_MANIFEST).body().length;
    }

    private static String errorCode(HttpResponse<byte[]> response) {
        String body = new String(response.body());
        int start = body.indexOf("\"code\":\"");
        assertThat(start).as("error body %s", body).isGreaterThanOrEqualTo(0);
        return body.substring(start + 8, body.indexOf('"', start + 8));
    }
}
