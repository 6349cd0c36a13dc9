package io.berth.hub.gc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.berth.common.Digest;
import io.berth.hub.storage.FilesystemBlobStore;
import io.berth.support.BerthIntegrationTest;

/**
 * Online garbage collection while pushes continue: deleted images lose their blobs, everything tagged (including
 * what was pushed during the collection) still pulls in full.
 */
class GarbageCollectionTest extends BerthIntegrationTest {

    private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

    @Autowired
    GarbageCollector collector;

    @Autowired
    FilesystemBlobStore store;

    private final HttpClient http = HttpClient.newHttpClient();

    /** An image as pushed: its repository, tag, manifest digest and blob digests. */
    record Image(String repository, String tag, Digest manifest, List<Digest> blobs) {
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
            assertThat(send("DELETE", "/v2/" + image.repository() + "/manifests/" + image.manifest()).statusCode()).isEqualTo(202);
        }
        GcResult result = collector.collect("test", cutoff);
        collected.set(true);
        pusher.get(2, TimeUnit.MINUTES);

        assertThat(result.blobsRemoved()).isGreaterThanOrEqualTo(deleted.size() * 2L);
        assertThat(result.bytesFreed()).isPositive();
        for (Image image : deleted) {
            for (Digest blob : image.blobs()) {
                assertThat(send("HEAD", "/v2/" + image.repository() + "/blobs/" + blob).statusCode()).isEqualTo(404);
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
        HttpResponse<byte[]> manifest = send("GET", "/v2/" + image.repository() + "/manifests/" + image.tag());
        assertThat(manifest.statusCode()).as("manifest %s:%s", image.repository(), image.tag()).isEqualTo(200);
        assertThat(Digest.sha256(manifest.body())).isEqualTo(image.manifest());
        for (Digest blob : image.blobs()) {
            HttpResponse<byte[]> response = send("GET", "/v2/" + image.repository() + "/blobs/" + blob);
            assertThat(response.statusCode()).as("blob %s of %s", blob, image.repository()).isEqualTo(200);
            assertThat(Digest.sha256(response.body())).isEqualTo(blob);
        }
    }

    private Image push(String repository, String tag) {
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"id\":\"" + UUID.randomUUID() + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] layer = ("layer " + UUID.randomUUID()).repeat(200).getBytes(StandardCharsets.UTF_8);
        Digest configDigest = pushBlob(repository, config);
        Digest layerDigest = pushBlob(repository, layer);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest + "\",\"size\":" + config.length
                + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"" + layerDigest
                + "\",\"size\":" + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> put = send("PUT", "/v2/" + repository + "/manifests/" + tag, manifest, "Content-Type", OCI_MANIFEST);
        assertThat(put.statusCode()).as(new String(put.body())).isEqualTo(201);
        return new Image(repository, tag, Digest.sha256(manifest), List.of(configDigest, layerDigest));
    }

    private Digest pushBlob(String repository, byte[] content) {
        Digest digest = Digest.sha256(content);
        HttpResponse<byte[]> created = send("POST", "/v2/" + repository + "/blobs/uploads/?digest=" + digest, content);
        assertThat(created.statusCode()).as(new String(created.body())).isEqualTo(201);
        return digest;
    }

    private HttpResponse<byte[]> send(String method, String path, byte[] body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUri() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<byte[]> send(String method, String path) {
        return send(method, path, null);
    }
}
