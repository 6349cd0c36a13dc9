package io.berth.hub.gc;

import static io.berth.support.RegistryClient.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
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

import io.berth.common.Digest;
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

    private RegistryClient registry;

    @BeforeEach
    void setUp() {
        registry = new RegistryClient(baseUri());
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
