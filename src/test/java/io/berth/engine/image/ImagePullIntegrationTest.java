package io.berth.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;

import io.berth.common.Digest;
import io.berth.common.error.BerthException;
import io.berth.common.error.ErrorKind;
import io.berth.common.oci.Platform;
import io.berth.engine.docker.ImageDeleteItem;
import io.berth.engine.docker.ImageInspect;
import io.berth.engine.docker.ImageSummary;
import io.berth.engine.docker.ProgressMessage;
import io.berth.engine.graph.GraphDriver;
import io.berth.support.BerthIntegrationTest;
import io.berth.support.EngineRequirement;
import io.berth.support.OciImages;
import io.berth.support.RegistryClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Pulls from the Hub of the shared context through the Engine's image service: store, list, tag, remove; platform
 * choice in an index; a corrupted layer; two pulls sharing a layer. The Hub's repositories are public by default, so
 * the pulls are anonymous, as {@code docker pull} without login.
 */
class ImagePullIntegrationTest extends BerthIntegrationTest {

    @Autowired
    private ObjectProvider<ImagePuller> pullerProvider;
    @Autowired
    private ObjectProvider<ImageStore> storeProvider;
    @Autowired
    private ObjectProvider<ImageService> serviceProvider;
    @Autowired
    private ObjectProvider<ImageViews> viewsProvider;
    @Autowired
    private ObjectProvider<ContentStore> contentProvider;
    @Autowired
    private ObjectProvider<GraphDriver> graphProvider;

    private ImagePuller puller;
    private ImageStore store;
    private ImageService service;
    private ImageViews views;
    private ContentStore content;
    private GraphDriver graph;

    @BeforeEach
    void engine() {
        EngineRequirement.assumeEngine();
        puller = pullerProvider.getObject();
        store = storeProvider.getObject();
        service = serviceProvider.getObject();
        views = viewsProvider.getObject();
        content = contentProvider.getObject();
        graph = graphProvider.getObject();
    }

    @Test
    void pullStoresTheImageThenListsTagsAndRemovesIt() {
        String repository = "engine-image/pull-" + suffix();
        OciImages.Image image = OciImages.busybox(true);
        push(repository, "v1", image);
        ImageReference ref = ImageReference.parse(registryHost() + "/" + repository + ":v1");

        List<ProgressMessage> progress = new CopyOnWriteArrayList<>();
        ImagePuller.PullResult result = puller.pull(ref, RegistryAuth.ANONYMOUS, progress::add);

        Digest id = Digest.parse(image.config().digest());
        assertThat(result.image().id()).isEqualTo(id);
        assertThat(result.digest().toString()).isEqualTo(image.manifest().digest());
        assertThat(result.upToDate()).isFalse();
        assertThat(progress.get(0)).isEqualTo(ProgressMessage.status("Pulling from " + repository, "v1"));
        String uniqueLayer = image.layers().get(2).hex().substring(0, 12);
        assertThat(statusesOf(progress, uniqueLayer)).startsWith("Pulling fs layer")
                .contains("Downloading", "Verifying Checksum", "Download complete", "Extracting")
                .endsWith("Pull complete");
        for (OciImages.Blob layer : image.layers()) {
            assertThat(statusesOf(progress, layer.hex().substring(0, 12)))
                    .containsAnyOf("Pull complete", "Already exists");
        }
        assertThat(progress.get(progress.size() - 2)).isEqualTo(ProgressMessage.status("Digest: " + result.digest()));
        assertThat(progress.get(progress.size() - 1))
                .isEqualTo(ProgressMessage.status("Status: Downloaded newer image for " + ref.familiar()));

        // Stored: the record, the blobs, the unpacked layers under their chain ids.
        ImageRecord record = store.find(ref.familiar()).orElseThrow();
        assertThat(record.id()).isEqualTo(id);
        List<Digest> diffIds = image.diffIds().stream().map(Digest::parse).toList();
        assertThat(record.layers()).extracting(ImageRecord.Layer::chainId).isEqualTo(ChainIds.of(diffIds));
        for (ImageRecord.Layer layer : record.layers()) {
            assertThat(graph.hasLayer(layer.chainId().toString())).isTrue();
        }
        // Only the blobs it downloaded: layers already unpacked (by earlier tests) were not fetched again.
        assertThat(content.has(record.layers().get(2).blob())).isTrue();
        assertThat(content.has(id)).isTrue();
        assertThat(content.has(result.digest())).isTrue();
        assertThat(record.size()).isPositive();

        ImageSummary listed = views.list(ImageFilters.NONE).stream().filter(entry -> entry.id().equals(id.toString()))
                .findFirst().orElseThrow();
        assertThat(listed.repoTags()).isEqualTo(List.of(ref.familiar()));
        assertThat(listed.repoDigests()).isEqualTo(List.of(ref.familiarName() + "@" + result.digest()));
        assertThat(listed.parentId()).isEmpty();
        assertThat(listed.containers()).isEqualTo(-1);
        assertThat(listed.sharedSize()).isEqualTo(-1);
        assertThat(listed.size()).isEqualTo(record.size());
        assertThat(listed.created()).isEqualTo(1704067200L);
        ImageInspect inspect = views.inspect(registryHost() + "/" + repository + ":v1");
        assertThat(inspect.id()).isEqualTo(id.toString());
        assertThat(inspect.os()).isEqualTo("linux");
        assertThat(inspect.architecture()).isEqualTo("amd64");
        assertThat(inspect.created()).isEqualTo("2024-01-01T00:00:00Z");
        assertThat(inspect.rootFs()).isEqualTo(new ImageInspect.RootFs("layers", image.diffIds()));
        assertThat(views.inspect(id.hex().substring(0, 12)).id()).isEqualTo(id.toString());
        assertThat(views.history(id.toString())).hasSize(3).first().satisfies(step -> {
            assertThat(step.id()).isEqualTo(id.toString());
            assertThat(step.createdBy()).isEqualTo("berth-test: ADD etc/");
        });

        // A second pull finds everything in place.
        List<ProgressMessage> again = new CopyOnWriteArrayList<>();
        assertThat(puller.pull(ref, RegistryAuth.ANONYMOUS, again::add).upToDate()).isTrue();
        assertThat(again).contains(ProgressMessage.layer("Already exists", uniqueLayer));
        assertThat(again.get(again.size() - 1))
                .isEqualTo(ProgressMessage.status("Status: Image is up to date for " + ref.familiar()));

        // Tag, then remove the references one by one: the image goes with the last one, with its own layer.
        service.tag(ref.familiar(), "berth-test/copy-" + suffix(), "1");
        String copy = store.references(id).stream().filter(r -> r.domain().equals("docker.io")).findFirst()
                .orElseThrow().familiar();
        assertThat(service.remove(ref.familiar(), false)).containsExactly(
                ImageDeleteItem.untagged(ref.familiar()),
                ImageDeleteItem.untagged(ref.familiarName() + "@" + result.digest()));
        assertThat(store.get(id)).isPresent();
        Digest topChain = record.layers().get(2).chainId();
        assertThat(service.remove(copy, false))
                .startsWith(ImageDeleteItem.untagged(copy), ImageDeleteItem.deleted(id.toString()))
                .contains(ImageDeleteItem.deleted(topChain.toString()));
        assertThat(store.get(id)).isEmpty();
        assertThat(graph.hasLayer(topChain.toString())).isFalse();
        assertThat(content.has(id)).isFalse();
        assertThat(content.has(record.layers().get(2).blob())).isFalse();
        assertThatThrownBy(() -> service.get(ref.familiar())).isInstanceOf(ImageNotFoundException.class)
                .hasMessage("No such image: " + ref.familiar());
    }

    @Test
    void removingByIdWhenSeveralRepositoriesReferToItNeedsForce() {
        String repository = "engine-image/rmi-" + suffix();
        OciImages.Image image = OciImages.busybox(true);
        push(repository, "v1", image);
        ImageReference ref = ImageReference.parse(registryHost() + "/" + repository + ":v1");
        Digest id = puller.pull(ref, RegistryAuth.ANONYMOUS, PullProgress.NONE).image().id();
        service.tag(id.toString(), "berth-test/other-" + suffix(), "");

        assertThatThrownBy(() -> service.remove(id.hex().substring(0, 12), false))
                .isInstanceOfSatisfying(BerthException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT))
                .hasMessage("conflict: unable to delete " + id.hex().substring(0, 12)
                        + " (must be forced) - image is referenced in multiple repositories");
        List<ImageDeleteItem> removals = service.remove(id.toString(), true);
        assertThat(removals).extracting(removal -> removal.untagged() != null ? "Untagged" : "Deleted")
                .containsSequence("Untagged", "Untagged", "Untagged").contains("Deleted");
        assertThat(store.get(id)).isEmpty();
    }

    @Test
    void anUnknownTagOrRepositoryIsNotFoundBeforeAnyTransfer() {
        String repository = "engine-image/tags-" + suffix();
        push(repository, "v1", OciImages.busybox(false));
        ImageReference missingTag = ImageReference.parse(registryHost() + "/" + repository + ":nosuch");
        assertThatThrownBy(() -> puller.resolve(missingTag, RegistryAuth.ANONYMOUS))
                .isInstanceOfSatisfying(BerthException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND))
                .hasMessageStartingWith("manifest for " + missingTag.familiar() + " not found: manifest unknown");

        // The Hub hides repositories that do not exist (or are private) behind a denied token, as Docker Hub does.
        ImageReference missingRepository = ImageReference.parse(registryHost() + "/engine-image/none-" + suffix());
        assertThatThrownBy(() -> puller.resolve(missingRepository, RegistryAuth.ANONYMOUS))
                .isInstanceOfSatisfying(BerthException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND))
                .hasMessageStartingWith("pull access denied for " + missingRepository.familiarName()
                        + ", repository does not exist or may require 'docker login'");
    }

    @Test
    void aPrivateRepositoryNeedsTheCredentialsOfXRegistryAuth() throws Exception {
        String repository = "engine-image/private-" + suffix();
        OciImages.Image image = OciImages.busybox(true);
        push(repository, "v1", image);
        HttpResponse<String> patched = HTTP.send(HttpRequest.newBuilder(baseUri().resolve("/api/v1/repositories/"
                        + repository))
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"visibility\":\"private\"}"))
                .header("Content-Type", "application/json")
                .header("Authorization", RegistryClient.basic(ADMIN, ADMIN_PASSWORD)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        ImageReference ref = ImageReference.parse(registryHost() + "/" + repository + ":v1");

        assertThatThrownBy(() -> puller.resolve(ref, RegistryAuth.ANONYMOUS))
                .isInstanceOfSatisfying(BerthException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND))
                .hasMessageStartingWith("pull access denied for " + ref.familiarName());
        String header = Base64.getUrlEncoder().encodeToString(("{\"username\":\"" + ADMIN + "\",\"password\":\""
                + ADMIN_PASSWORD + "\",\"serveraddress\":\"" + registryHost() + "\"}").getBytes(StandardCharsets.UTF_8));
        RegistryAuth admin = RegistryAuth.fromHeader(header, JsonMapper.builder().build());
        assertThat(puller.pull(ref, admin, PullProgress.NONE).image().id().toString())
                .isEqualTo(image.config().digest());
        RegistryAuth wrong = new RegistryAuth(ADMIN, "not the password", null);
        assertThatThrownBy(() -> puller.resolve(ref, wrong))
                .isInstanceOfSatisfying(BerthException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAUTHORIZED))
                .hasMessageContaining("unauthorized");
        service.remove(ref.familiar(), false);
    }

    @Test
    void aMultiPlatformIndexResolvesToThisNodesPlatform() {
        Platform here = Platform.current();
        assumeTrue(List.of("amd64", "arm64").contains(here.architecture()), "the test index has amd64 and arm64 only");
        String repository = "engine-image/index-" + suffix();
        OciImages.ImageIndex index = OciImages.busyboxIndex(true);
        RegistryClient registry = registry();
        for (OciImages.Image image : index.manifests()) {
            pushBlobs(registry, repository, image);
            RegistryClient.expect(registry.putManifest(repository, image.manifest().digest(), OciImages.MANIFEST_TYPE,
                    image.manifest().bytes()), 201);
        }
        RegistryClient.expect(registry.putManifest(repository, "multi", OciImages.INDEX_TYPE, index.index().bytes()),
                201);
        OciImages.Image expected = index.manifests().get(here.architecture().equals("amd64") ? 0 : 1);

        ImageReference ref = ImageReference.parse(registryHost() + "/" + repository + ":multi");
        List<ProgressMessage> progress = new CopyOnWriteArrayList<>();
        ImagePuller.PullResult result = puller.pull(ref, RegistryAuth.ANONYMOUS, progress::add);

        assertThat(result.image().id().toString()).isEqualTo(expected.config().digest());
        assertThat(result.image().manifestDigest().toString()).isEqualTo(expected.manifest().digest());
        // What docker shows as the digest is the index's: the digest the user pulls by.
        assertThat(result.digest().toString()).isEqualTo(index.index().digest());
        assertThat(progress).contains(ProgressMessage.status("Digest: " + index.index().digest()));
        ImageInspect inspect = views.inspect(ref.familiar());
        assertThat(inspect.architecture()).isEqualTo(here.architecture());
        assertThat(inspect.repoDigests()).isEqualTo(List.of(ref.familiarName() + "@" + index.index().digest()));

        // And by digest: the same image, the digest verified.
        ImageReference byDigest = ref.withDigest(Digest.parse(index.index().digest()));
        assertThat(puller.pull(byDigest, RegistryAuth.ANONYMOUS, PullProgress.NONE).image().id())
                .isEqualTo(result.image().id());
        service.remove(result.image().id().toString(), true);
    }

    @Test
    void aCorruptedLayerFailsTheDigestCheckAndLeavesNothingBehind() throws IOException {
        String repository = "engine-image/corrupt-" + suffix();
        OciImages.Image image = OciImages.busybox(true);
        push(repository, "bad", image);
        OciImages.Blob layer = image.layers().get(2);
        Path stored = dataDir().resolve("blobs/sha256/" + layer.hex().substring(0, 2) + "/" + layer.hex());
        byte[] corrupted = Files.readAllBytes(stored);
        corrupted[corrupted.length / 2] ^= 0x5a;
        Files.write(stored, corrupted);

        ImageReference ref = ImageReference.parse(registryHost() + "/" + repository + ":bad");
        Digest layerDigest = Digest.parse(layer.digest());
        Digest config = Digest.parse(image.config().digest());
        assertThatThrownBy(() -> puller.pull(ref, RegistryAuth.ANONYMOUS, PullProgress.NONE))
                .isInstanceOfSatisfying(BerthException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.FAILED))
                .hasMessageContaining("digest mismatch").hasMessageContaining(layerDigest.toString());

        assertThat(content.has(layerDigest)).isFalse();
        assertThat(content.has(config)).isFalse();
        assertThat(store.get(config)).isEmpty();
        assertThat(store.resolve(ref)).isEmpty();
        try (var partials = Files.list(dataDir().resolve("engine/content/tmp"))) {
            assertThat(partials.filter(p -> p.getFileName().toString().startsWith(layerDigest.hex()))).isEmpty();
        }
    }

    @Test
    void twoPullsSharingALayerDownloadItOnce() throws Exception {
        // Two images (one per architecture of an index) with the same fresh layers, pushed as separate repositories.
        OciImages.ImageIndex index = OciImages.busyboxIndex(true);
        String first = "engine-image/shared-a-" + suffix();
        String second = "engine-image/shared-b-" + suffix();
        push(first, "v1", index.manifests().get(0));
        push(second, "v1", index.manifests().get(1));
        Digest shared = Digest.parse(index.manifests().get(0).layers().get(2).digest());
        assertThat(index.manifests().get(1).layers().get(2).digest()).isEqualTo(shared.toString());

        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<ImagePuller.PullResult>> pulls = List.of(first, second).stream()
                    .map(repository -> pool.submit(() -> {
                        start.await();
                        return puller.pull(ImageReference.parse(registryHost() + "/" + repository + ":v1"),
                                RegistryAuth.ANONYMOUS, PullProgress.NONE);
                    })).toList();
            start.countDown();
            ImagePuller.PullResult a = pulls.get(0).get(60, TimeUnit.SECONDS);
            ImagePuller.PullResult b = pulls.get(1).get(60, TimeUnit.SECONDS);

            assertThat(content.downloadCount(shared)).isEqualTo(1);
            assertThat(a.image().id()).isNotEqualTo(b.image().id());
            assertThat(a.image().layers().get(2).chainId()).isEqualTo(b.image().layers().get(2).chainId());
            assertThat(graph.hasLayer(a.image().layers().get(2).chainId().toString())).isTrue();

            // The shared layer outlives the first image and goes with the second.
            service.remove(a.image().id().toString(), true);
            assertThat(graph.hasLayer(b.image().layers().get(2).chainId().toString())).isTrue();
            assertThat(content.has(shared)).isTrue();
            service.remove(b.image().id().toString(), true);
            assertThat(graph.hasLayer(b.image().layers().get(2).chainId().toString())).isFalse();
            assertThat(content.has(shared)).isFalse();
        } finally {
            pool.shutdownNow();
        }
    }

    private void push(String repository, String tag, OciImages.Image image) {
        registry().push(repository, tag, image);
    }

    private static void pushBlobs(RegistryClient registry, String repository, OciImages.Image image) {
        for (OciImages.Blob blob : image.blobs()) {
            registry.pushBlob(repository, blob.bytes());
        }
    }

    private static List<String> statusesOf(List<ProgressMessage> progress, String id) {
        return progress.stream().filter(message -> id.equals(message.id())).map(ProgressMessage::status).toList();
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
