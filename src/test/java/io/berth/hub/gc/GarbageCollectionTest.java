package io.berth.hub.gc;

import static io.berth.support.RegistryClient.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.berth.common.Digest;
import io.berth.hub.metadata.Blobs;
import io.berth.hub.storage.FilesystemBlobStore;
import io.berth.support.BerthIntegrationTest;
import io.berth.support.RegistryClient;
import io.berth.support.RegistryClient.Image;
import io.berth.support.RegistryClient.Upload;

/**
 * Online garbage collection while pushes continue: deleted images lose their blobs, everything tagged (including
 * what was pushed during the collection) still pulls in full.
 */
class GarbageCollectionTest extends BerthIntegrationTest {

    @Autowired
    GarbageCollector collector;

    @Autowired
    FilesystemBlobStore store;

    @Autowired
    Blobs blobs;

    @Autowired
    PlatformTransactionManager transactions;

    private RegistryClient registry;

    @BeforeEach
    void setUp() {
        registry = registry();
    }

    @Test
    void collectsDeletedImagesWhilePushesContinue() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<Image> kept = new ArrayList<>();
        List<Image> deleted = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            kept.add(push("gc" + run + "/keep", "v" + i));
            deleted.add(push("gc" + run + "/drop", "v" + i));
        }
        // Everything pushed so far is older than the cutoff; everything the pusher below pushes is younger.
        Instant cutoff = Instant.now();

        AtomicBoolean collected = new AtomicBoolean();
        List<Image> pushedDuring = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> pusher = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 200 && (!collected.get() || pushedDuring.size() < 3); i++) {
                pushedDuring.add(push("gc" + run + "/during", "d" + i));
            }
        });
        for (Image image : deleted) {
            assertThat(registry.send("DELETE", "/v2/" + image.repository() + "/manifests/" + image.digest(), null).statusCode())
                    .isEqualTo(202);
        }
        GcResult result = collector.collect("test", cutoff);
        collected.set(true);
        pusher.get(2, TimeUnit.MINUTES);

        assertThat(result.blobsRemoved()).isGreaterThanOrEqualTo(deleted.size() * 2L);
        assertThat(result.bytesFreed()).isPositive();
        for (Image image : deleted) {
            for (Digest blob : image.blobs()) {
                assertThat(registry.head("/v2/" + image.repository() + "/blobs/" + blob).statusCode()).isEqualTo(404);
                assertThat(store.blobPath(blob)).doesNotExist();
            }
        }
        List<Image> survivors = new ArrayList<>(kept);
        survivors.addAll(pushedDuring);
        assertThat(pushedDuring).hasSizeGreaterThanOrEqualTo(3);
        for (Image image : survivors) {
            assertPullsInFull(image);
        }

        // A second collection with the same cutoff finds nothing more to take.
        GcResult again = collector.collect("test", cutoff);
        assertThat(again.blobsRemoved()).isZero();
        for (Image image : survivors) {
            assertPullsInFull(image);
        }
    }

    @Test
    void removesAbandonedUploadsAndKeepsActiveOnes() throws Exception {
        String repository = "gc-uploads/" + UUID.randomUUID().toString().substring(0, 8);
        String idle = startUpload(repository);
        String active = startUpload(repository);
        RegistryClient.expect(registry.send("PATCH", active, bytes("first chunk")), 202);

        // Both sessions started before the cutoff; only the active one received a chunk after it.
        Instant cutoff = Instant.now().plusSeconds(1);
        setLastWrite(idle, cutoff.minus(Duration.ofDays(2)));
        setLastWrite(active, cutoff.plus(Duration.ofMinutes(1)));
        GcResult result = collector.collect("test", Instant.EPOCH, cutoff);

        assertThat(result.uploadsRemoved()).isGreaterThanOrEqualTo(1);
        RegistryClient.expect(registry.get(idle), 404);
        HttpResponse<byte[]> status = RegistryClient.expect(registry.get(active), 204);
        assertThat(status.headers().firstValue("Range")).hasValue("0-10");
        assertThat(uploadFile(idle).getParent()).doesNotExist();
    }

    /**
     * A collection that committed its mark and crashed before removing the bytes (or right after): the blob is not
     * mounted from the row, an upload of it takes it back and stores the bytes anew, and the next collection finishes
     * the removal of one nobody took back.
     */
    @Test
    void aCollectionInterruptedAfterItsMarkIsFinishedOrUndoneWithoutARowForMissingBytes() throws IOException {
        String repository = "gc-marked/" + UUID.randomUUID().toString().substring(0, 8);
        byte[] revived = bytes("revived " + UUID.randomUUID());
        byte[] finished = bytes("finished " + UUID.randomUUID());
        Digest revivedDigest = registry.pushBlob(repository, revived, Upload.MONOLITHIC);
        Digest finishedDigest = registry.pushBlob(repository, finished, Upload.MONOLITHIC);
        for (Digest digest : List.of(revivedDigest, finishedDigest)) {
            RegistryClient.expect(registry.send("DELETE", "/v2/" + repository + "/blobs/" + digest, null), 202);
            markedByACollectionThatCrashed(digest);
        }
        // The crash came after the bytes of one were gone.
        Files.delete(store.blobPath(revivedDigest));

        String other = repository + "-other";
        HttpResponse<byte[]> mount = registry.send("POST", "/v2/" + other + "/blobs/uploads/?mount=" + revivedDigest
                + "&from=" + repository, null);
        assertThat(mount.statusCode()).as("a mount of a blob being collected starts an upload instead").isEqualTo(202);
        registry.pushBlob(other, revived, Upload.MONOLITHIC);
        assertThat(store.blobPath(revivedDigest)).exists();
        assertThat(blobs.findById(revivedDigest.toString())).get().extracting(b -> b.isDeleting()).isEqualTo(false);

        GcResult result = collector.collect("test", Instant.EPOCH);
        assertThat(result.blobsRemoved()).isGreaterThanOrEqualTo(1);
        assertThat(blobs.findById(finishedDigest.toString())).isEmpty();
        assertThat(store.blobPath(finishedDigest)).doesNotExist();
        byte[] served = RegistryClient.expect(registry.get("/v2/" + other + "/blobs/" + revivedDigest), 200).body();
        assertThat(served).isEqualTo(revived);
    }

    /** A blob row whose file went (a power cut, a restored backup): no manifest is accepted that would not pull. */
    @Test
    void aManifestIsRefusedWhileABlobItNeedsIsMissingFromTheStore() throws IOException {
        String repository = "gc-missing/" + UUID.randomUUID().toString().substring(0, 8);
        byte[] config = bytes("{\"architecture\":\"amd64\",\"os\":\"linux\",\"id\":\"" + UUID.randomUUID() + "\"}");
        byte[] layer = bytes("layer " + UUID.randomUUID());
        Digest configDigest = registry.pushBlob(repository, config, Upload.MONOLITHIC);
        Digest layerDigest = registry.pushBlob(repository, layer, Upload.MONOLITHIC);
        Files.delete(store.blobPath(layerDigest));

        byte[] manifest = RegistryClient.imageManifest(configDigest, config.length, layerDigest, layer.length);
        HttpResponse<byte[]> refused = registry.putManifest(repository, "v1", RegistryClient.OCI_MANIFEST, manifest);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(new String(refused.body(), StandardCharsets.UTF_8)).contains("MANIFEST_BLOB_UNKNOWN")
                .contains(layerDigest.toString());
        // As a client does next: the blob is missing, so it is pushed again, and then the manifest is accepted.
        RegistryClient.expect(registry.head("/v2/" + repository + "/blobs/" + layerDigest), 404);
        registry.pushBlob(repository, layer, Upload.MONOLITHIC);
        RegistryClient.expect(registry.putManifest(repository, "v1", RegistryClient.OCI_MANIFEST, manifest), 201);
        assertThat(RegistryClient.expect(registry.get("/v2/" + repository + "/blobs/" + layerDigest), 200).body())
                .isEqualTo(layer);
    }

    private void markedByACollectionThatCrashed(Digest digest) {
        new TransactionTemplate(transactions).executeWithoutResult(status ->
                blobs.lockByDigest(digest.toString()).orElseThrow().markDeleting());
    }

    private String startUpload(String repository) {
        return RegistryClient.expect(registry.send("POST", "/v2/" + repository + "/blobs/uploads/", null), 202)
                .headers().firstValue("Location").orElseThrow();
    }

    private static Path uploadFile(String location) {
        return dataDir().resolve("uploads").resolve(location.substring(location.lastIndexOf('/') + 1)).resolve("data");
    }

    private static void setLastWrite(String location, Instant time) throws IOException {
        Files.setLastModifiedTime(uploadFile(location), FileTime.from(time));
    }

    private void assertPullsInFull(Image image) {
        HttpResponse<byte[]> manifest = registry.get("/v2/" + image.repository() + "/manifests/" + image.tag());
        assertThat(manifest.statusCode()).as("manifest %s:%s", image.repository(), image.tag()).isEqualTo(200);
        assertThat(Digest.sha256(manifest.body())).isEqualTo(image.digest());
        for (Digest blob : image.blobs()) {
            HttpResponse<byte[]> response = registry.get("/v2/" + image.repository() + "/blobs/" + blob);
            assertThat(response.statusCode()).as("blob %s of %s", blob, image.repository()).isEqualTo(200);
            assertThat(Digest.sha256(response.body())).isEqualTo(blob);
        }
    }

    private Image push(String repository, String tag) {
        byte[] config = bytes("{\"architecture\":\"amd64\",\"os\":\"linux\",\"id\":\"" + UUID.randomUUID() + "\"}");
        byte[] layer = bytes(("layer " + UUID.randomUUID()).repeat(200));
        return registry.pushImage(repository, tag, config, layer, Upload.MONOLITHIC);
    }
}
