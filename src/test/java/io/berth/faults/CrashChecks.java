package io.berth.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import io.berth.common.Digest;
import io.berth.common.DigestAlgorithm;
import io.berth.support.BerthProcess;
import io.berth.support.OciImages;
import io.berth.support.RegistryClient;
import io.berth.support.TestAccounts;

/**
 * What must hold after Berth was killed and started again on the same data dir: every acknowledged image pulls, by tag
 * and by digest, and every one of its blobs matches its digest; every acknowledged delete stayed done; a request that
 * got no answer either took effect whole or not at all; the tags the registry lists are exactly the images it
 * acknowledged (nothing unacknowledged half visible); a manifest is accepted only when its blobs are really there;
 * revoked tokens stay revoked; the last acknowledged collection is on record; and no file in the blob store holds
 * bytes other than its name says.
 */
final class CrashChecks {

    /** Deleted images checked after each restart: the most recent, so that the checks do not grow with the run. */
    private static final int DELETED_CHECKED = 24;
    private static final int TOKENS_CHECKED = 4;
    private static final int MANIFEST_PROBES = 2;

    private final BerthProcess berth;
    private final Ledger ledger;
    private final Random random;
    private final String round;
    private final RegistryClient registry;

    CrashChecks(BerthProcess berth, Ledger ledger, Random random, int round) {
        this.berth = berth;
        this.ledger = ledger;
        this.random = random;
        this.round = "after kill " + round + ": ";
        this.registry = berth.registry();
    }

    void all() throws IOException {
        settleUnansweredPushes();
        settleUnansweredDeletes();
        for (Ledger.Image image : ledger.live()) {
            assertPulls(image);
        }
        List<Ledger.Image> deleted = ledger.deleted();
        for (Ledger.Image image : deleted.subList(Math.max(0, deleted.size() - DELETED_CHECKED), deleted.size())) {
            assertGone(image);
        }
        assertTagsAreTheLiveImages();
        probeManifestValidation();
        assertTokens();
        assertLastCollectionKept();
        assertEveryBlobFileMatchesItsName(berth.dataDir());
    }

    private void settleUnansweredPushes() {
        for (Ledger.Image image : ledger.unansweredPushes()) {
            HttpResponse<byte[]> byTag = manifest(image, image.tag());
            if (byTag.statusCode() == 200) {
                assertPulls(image);
                ledger.settlePush(image, true);
            } else {
                assertThat(byTag.statusCode()).as(round + "unanswered push of %s:%s", image.repository(), image.tag())
                        .isEqualTo(404);
                // Manifest and tag are stored in one transaction: no manifest without its tag either.
                assertThat(manifest(image, image.digest().toString()).statusCode())
                        .as(round + "manifest of an unanswered push whose tag is absent").isEqualTo(404);
                ledger.settlePush(image, false);
            }
        }
    }

    private void settleUnansweredDeletes() {
        for (Ledger.Image image : ledger.unansweredDeletes()) {
            boolean gone = manifest(image, image.digest().toString()).statusCode() == 404;
            if (gone) {
                assertGone(image);
            } else {
                assertPulls(image);
            }
            ledger.settleDelete(image, gone);
        }
    }

    private void assertPulls(Ledger.Image image) {
        for (String reference : List.of(image.tag(), image.digest().toString())) {
            HttpResponse<byte[]> manifest = manifest(image, reference);
            assertThat(manifest.statusCode()).as(round + "acknowledged %s:%s pulls", image.repository(), reference)
                    .isEqualTo(200);
            assertThat(manifest.body()).as(round + "manifest bytes of %s", reference).isEqualTo(image.manifest());
        }
        for (Digest blob : image.blobs()) {
            assertBlobServedIntact(image.repository(), blob);
        }
    }

    private void assertBlobServedIntact(String repository, Digest blob) {
        HttpResponse<byte[]> answer = registry.get("/v2/" + repository + "/blobs/" + blob);
        assertThat(answer.statusCode()).as(round + "blob %s of an image in %s", blob, repository).isEqualTo(200);
        assertThat(Digest.sha256(answer.body())).as(round + "bytes served for %s", blob).isEqualTo(blob);
    }

    private void assertGone(Ledger.Image image) {
        for (String reference : List.of(image.digest().toString(), image.tag())) {
            assertThat(manifest(image, reference).statusCode())
                    .as(round + "deleted %s:%s stays deleted", image.repository(), reference).isEqualTo(404);
        }
    }

    private void assertTagsAreTheLiveImages() {
        for (String repository : CrashWorkload.REPOSITORIES) {
            Set<String> expected = new HashSet<>();
            ledger.live().stream().filter(image -> image.repository().equals(repository))
                    .forEach(image -> expected.add(image.tag()));
            HttpResponse<byte[]> answer = registry.get("/v2/" + repository + "/tags/list?n=10000");
            Set<String> listed = new HashSet<>();
            if (answer.statusCode() == 200) {
                listed.addAll(RegistryClient.strings(RegistryClient.json(answer).path("tags")));
            } else {
                assertThat(answer.statusCode()).as(round + "tags of %s", repository).isEqualTo(404);
            }
            assertThat(listed).as(round + "tags of %s: exactly the acknowledged images", repository)
                    .containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    /**
     * Manifests that reference blobs pushed some time ago, many of them collected since: accepted only when the
     * registry really has every blob, so an accepted one must pull in full (and is acknowledged from then on).
     */
    private void probeManifestValidation() {
        List<Map.Entry<Digest, Long>> blobs = new ArrayList<>(ledger.blobs().entrySet());
        if (blobs.size() < 2) {
            return;
        }
        for (int i = 0; i < MANIFEST_PROBES; i++) {
            String repository = CrashWorkload.REPOSITORIES.get(random.nextInt(CrashWorkload.REPOSITORIES.size()));
            Map.Entry<Digest, Long> config = blobs.get(random.nextInt(blobs.size()));
            Map.Entry<Digest, Long> layer = blobs.get(random.nextInt(blobs.size()));
            byte[] manifest = RegistryClient.bytes("{\"schemaVersion\":2,\"mediaType\":\"" + OciImages.MANIFEST_TYPE
                    + "\",\"config\":" + RegistryClient.descriptor(OciImages.CONFIG_TYPE, config.getKey(), config.getValue())
                    + ",\"layers\":[" + RegistryClient.descriptor("application/vnd.oci.image.layer.v1.tar", layer.getKey(),
                    layer.getValue()) + "],\"annotations\":{\"probe\":\"" + round + i + "\"}}");
            String tag = "probe-" + Integer.toHexString(random.nextInt());
            HttpResponse<byte[]> answer = registry.putManifest(repository, tag, OciImages.MANIFEST_TYPE, manifest);
            if (answer.statusCode() == 201) {
                Ledger.Image image = new Ledger.Image(repository, tag, Digest.sha256(manifest), manifest,
                        List.of(config.getKey(), layer.getKey()));
                assertPulls(image);
                ledger.pushed(image);
            } else {
                assertThat(answer.statusCode()).as(round + "manifest over old blobs: %s", CrashWorkload.text(answer))
                        .isEqualTo(400);
                assertThat(CrashWorkload.text(answer)).contains("MANIFEST_BLOB_UNKNOWN");
            }
        }
    }

    private void assertTokens() {
        for (Ledger.Token token : ledger.unansweredRevocations()) {
            ledger.settleRevocation(token, tokenStatus(token) == 401);
        }
        List<Ledger.Token> revoked = ledger.revokedTokens();
        for (Ledger.Token token : revoked.subList(Math.max(0, revoked.size() - TOKENS_CHECKED), revoked.size())) {
            assertThat(tokenStatus(token)).as(round + "revoked token %d signs in", token.id()).isEqualTo(401);
        }
        List<Ledger.Token> kept = ledger.liveTokens();
        for (Ledger.Token token : kept.subList(Math.max(0, kept.size() - TOKENS_CHECKED), kept.size())) {
            assertThat(tokenStatus(token)).as(round + "token %d, created and never revoked, signs in", token.id())
                    .isEqualTo(200);
        }
    }

    private int tokenStatus(Ledger.Token token) {
        return RegistryClient.unauthenticated(berth.baseUri()).send("GET",
                "/token?service=berth&scope=repository:" + CrashWorkload.REPOSITORIES.get(0) + ":pull", null,
                "Authorization", RegistryClient.basic(TestAccounts.ADMIN, token.secret())).statusCode();
    }

    private void assertLastCollectionKept() {
        Instant acknowledged = ledger.lastCollection();
        if (acknowledged.equals(Instant.EPOCH)) {
            return;
        }
        HttpResponse<byte[]> answer = RegistryClient.unauthenticated(berth.baseUri()).send("GET", "/api/v1/admin/gc", null,
                "Authorization", RegistryClient.basic(TestAccounts.ADMIN, TestAccounts.ADMIN_PASSWORD));
        assertThat(answer.statusCode()).as(round + "the last collection is on record").isEqualTo(200);
        assertThat(Instant.parse(RegistryClient.json(answer).path("startedAt").asString()))
                .as(round + "the last collection on record is at least the last acknowledged one")
                .isAfterOrEqualTo(acknowledged);
    }

    private HttpResponse<byte[]> manifest(Ledger.Image image, String reference) {
        return registry.get("/v2/" + image.repository() + "/manifests/" + reference, "Accept", OciImages.MANIFEST_TYPE);
    }

    /** No file in the blob store holds other bytes than its name says (a half-written blob under a real name). */
    static void assertEveryBlobFileMatchesItsName(Path dataDir) throws IOException {
        Path blobs = dataDir.resolve("blobs");
        if (!Files.isDirectory(blobs)) {
            return;
        }
        try (Stream<Path> files = Files.walk(blobs)) {
            for (Path file : files.filter(Files::isRegularFile).filter(f -> f.getParent().getParent().getParent()
                    .equals(blobs)).toList()) {
                DigestAlgorithm algorithm = DigestAlgorithm.fromPrefix(file.getParent().getParent().getFileName()
                        .toString()).orElseThrow();
                MessageDigest digest = algorithm.newMessageDigest();
                try (InputStream in = Files.newInputStream(file)) {
                    byte[] buffer = new byte[64 * 1024];
                    int n;
                    while ((n = in.read(buffer)) != -1) {
                        digest.update(buffer, 0, n);
                    }
                } catch (java.nio.file.NoSuchFileException e) {
                    continue; // collected while we walked
                }
                assertThat(Digest.fromBytes(algorithm, digest.digest()).hex()).as("bytes of %s", file)
                        .isEqualTo(file.getFileName().toString());
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
