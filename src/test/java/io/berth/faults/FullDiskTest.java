package io.berth.faults;

import static io.berth.support.RegistryClient.expect;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import io.berth.common.Digest;
import io.berth.support.BerthProcess;
import io.berth.support.OciImages;
import io.berth.support.RegistryClient;
import io.berth.support.TestAccounts;
import tools.jackson.databind.JsonNode;

/**
 * Berth on a 300 MiB tmpfs, its whole data dir (database included): the per-account upload caps, then pushes until
 * the disk is at its reserve and pushes are refused with 507, then the disk filled to the last byte behind Berth's back
 * so that the database itself fails a write and closes, then space freed, and Berth working again (sign-ins, pulls,
 * pushes, health) without a restart.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FullDiskTest {

    private static final int DISK_MEGABYTES = 300;
    private static final int LAYER_BYTES = 8 * 1024 * 1024;
    private static final Duration RECOVERY_DEADLINE = Duration.ofMinutes(2);
    /** Long enough for every step of the caps test on a busy machine, short enough to wait for once. */
    private static final Duration UPLOAD_EXPIRY = Duration.ofSeconds(20);
    private static final long RESERVE = 32L * 1024 * 1024;

    private Tmpfs disk;
    private BerthProcess berth;
    private RegistryClient registry;
    private final Random random = new Random();
    private final List<Ledger.Image> pushed = new ArrayList<>();

    @BeforeAll
    void startOnASmallDisk(@TempDir Path temp) throws Exception {
        // The data dir is the mount point, so that Berth's log, which BerthProcess keeps next to it, is not on the disk
        // this test fills.
        disk = Tmpfs.mount(temp.resolve("disk"), DISK_MEGABYTES);
        berth = BerthProcess.start(disk.path(),
                "--berth.engine.enabled=false",
                "--berth.hub.gc.grace-period=0s",
                "--berth.hub.storage.reserve=" + RESERVE / 1024 / 1024 + "MB",
                "--berth.hub.uploads.max-sessions-per-account=4",
                "--berth.hub.uploads.max-bytes-per-account=48MB",
                "--berth.hub.gc.upload-expiry=" + UPLOAD_EXPIRY.toSeconds() + "s",
                // Spring's own disk space check would call a disk this small DOWN from the start.
                "--management.health.diskspace.threshold=1MB");
        registry = berth.registry();
    }

    @AfterAll
    void stopAndUnmount() throws Exception {
        try {
            if (berth != null) {
                berth.close();
            }
        } finally {
            if (disk != null) {
                disk.close();
            }
        }
    }

    @Test
    @Order(1)
    void uploadsOfOneAccountStayWithinItsCaps() throws Exception {
        String repository = "caps/app";
        List<String> open = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            open.add(location(expect(registry.send("POST", "/v2/" + repository + "/blobs/uploads/", null), 202)));
        }
        assertError(registry.send("POST", "/v2/" + repository + "/blobs/uploads/", null), 429, "TOOMANYREQUESTS",
                "uploads open");

        // Bytes in flight: 40 MiB in one upload fit under 48 MiB; 16 more in another do not, and are not kept.
        byte[] forty = randomBytes(40 * 1024 * 1024);
        String first = location(expect(registry.send("PATCH", open.get(0), forty,
                "Content-Range", "0-" + (forty.length - 1)), 202));
        byte[] sixteen = randomBytes(16 * 1024 * 1024);
        assertError(registry.send("PATCH", open.get(1), sixteen, "Content-Range", "0-" + (sixteen.length - 1)), 429,
                "TOOMANYREQUESTS", "would hold more than 48 MB");
        // Streamed without a length, the same body is stopped on its way and the upload cut back to where it was.
        assertError(streamed(repository, open.get(1), sixteen), 429, "TOOMANYREQUESTS", "would hold more than 48 MB");
        assertThat(expect(registry.get(open.get(1)), 204).headers().firstValue("Range")).hasValue("0-0");
        // A blob larger than the cap on its own can never fit: 413, not "try again later".
        byte[] tooLarge = randomBytes(49 * 1024 * 1024);
        assertError(registry.send("PATCH", open.get(2), tooLarge, "Content-Range", "0-" + (tooLarge.length - 1)), 413,
                "SIZE_INVALID", "the most one account's uploads may hold");
        // The first upload completes, and its bytes leave the account's uploads in flight.
        expect(registry.send("PUT", first + "?digest=" + Digest.sha256(forty), null), 201);
        expect(registry.send("PATCH", open.get(1), sixteen, "Content-Range", "0-" + (sixteen.length - 1)), 202);
        open.add(location(expect(registry.send("POST", "/v2/" + repository + "/blobs/uploads/", null), 202)));
        assertError(registry.send("POST", "/v2/" + repository + "/blobs/uploads/", null), 429, "TOOMANYREQUESTS",
                "uploads open");

        // Idle uploads expire: once the others have had no bytes for the expiry, the account may open new ones, and
        // the idle ones are gone.
        HttpResponse<byte[]> next = awaitAnswer(
                () -> registry.send("POST", "/v2/" + repository + "/blobs/uploads/", null),
                answer -> answer.statusCode() != 429);
        assertThat(next.statusCode()).as(CrashWorkload.text(next)).isEqualTo(202);
        assertThat(registry.get(open.get(2)).statusCode()).as("an upload idle for longer than the expiry")
                .isEqualTo(404);
        // One that keeps receiving bytes within the expiry continues where it stopped, and completes.
        byte[] layer = randomBytes(2 * 1024 * 1024);
        String resumed = location(expect(registry.send("PATCH", location(next), Arrays.copyOfRange(layer, 0, 1024 * 1024),
                "Content-Range", "0-" + (1024 * 1024 - 1)), 202));
        assertThat(expect(registry.get(resumed), 204).headers().firstValue("Range")).hasValue("0-" + (1024 * 1024 - 1));
        expect(registry.send("PATCH", resumed, Arrays.copyOfRange(layer, 1024 * 1024, layer.length),
                "Content-Range", 1024 * 1024 + "-" + (layer.length - 1)), 202);
        expect(registry.send("PUT", resumed + "?digest=" + Digest.sha256(layer), null), 201);
    }

    @Test
    @Order(2)
    void aFullDiskRefusesWritesKeepsReadsAndRecoversWithoutARestart() throws Exception {
        String repository = "full/app";
        // Pushes until the disk is at its reserve: the next layer is refused before a byte of it is stored.
        HttpResponse<byte[]> refused = null;
        while (refused == null) {
            PushAttempt attempt = push(repository, LAYER_BYTES);
            refused = attempt.refusal();
            assertThat(pushed.size()).as("pushes before the disk was full").isLessThan(DISK_MEGABYTES);
        }
        assertError(refused, 507, "UNKNOWN", "storage is full");
        // Refused at the reserve: not before (less than a layer above it was left), and pushes never took the reserve.
        assertThat(disk.path().toFile().getUsableSpace()).as("bytes free when a push was refused")
                .isBetween(RESERVE - 1024 * 1024, RESERVE + LAYER_BYTES + 1024 * 1024);

        // Into the reserve, behind Berth's back: every push is refused now, manifests and new uploads too.
        Path intoReserve = fill(disk.path().resolve("filler-1"), disk.path().toFile().getUsableSpace() - RESERVE / 2);
        Ledger.Image first = pushed.get(0);
        assertError(registry.putManifest(repository, "late", OciImages.MANIFEST_TYPE, first.manifest()), 507, "UNKNOWN",
                "storage is full");
        assertError(registry.send("POST", "/v2/" + repository + "/blobs/uploads/", null), 507, "UNKNOWN",
                "storage is full");
        assertHealth("/health/liveness", 200);
        assertHealth("/health/readiness", 503);
        JsonNode health = assertHealth("/health", 503);
        assertThat(health.path("components").path("blobStorage").path("status").asString()).isEqualTo("DOWN");
        assertThat(health.path("components").path("blobStorage").path("details").path("reason").asString())
                .contains("less than the reserve");
        assertThat(health.path("components").path("db").path("status").asString()).isEqualTo("UP");
        // Reads go on, and so does what the reserve is kept for: signing in, tokens, deletes.
        assertPulls(first);
        assertThat(createToken().statusCode()).as("a token created in the reserve").isEqualTo(201);

        // The last byte gone: the database's own writes fail, and H2 closes the database.
        Path lastBytes = fill(disk.path().resolve("filler-2"), Long.MAX_VALUE);
        HttpResponse<byte[]> noRoom = firstRefusal(this::createToken);
        assertThat(CrashWorkload.text(noRoom)).contains("storage is full");
        health = assertHealth("/health", 503);
        assertThat(health.path("components").path("db").path("status").asString()).isEqualTo("DOWN");
        assertThat(health.path("components").path("db").path("details").path("reason").asString())
                .contains("no space left");

        // Room again: the database reopens by itself; sign-ins and database writes work without a restart.
        Files.delete(lastBytes);
        awaitAnswer(() -> health("/health"), answer -> "UP".equals(answer.path("components").path("db").path("status")
                .asString()));
        RegistryClient signedInAgain = berth.registry();
        signedInAgain.token("repository:" + repository + ":pull");
        assertThat(createToken().statusCode()).as("a token created once the database reopened").isEqualTo(201);
        assertPulls(first);

        // Space freed the way an administrator frees it: images deleted, then a collection.
        Files.delete(intoReserve);
        for (Ledger.Image image : pushed.subList(0, pushed.size() / 2)) {
            expect(signedInAgain.send("DELETE", "/v2/" + repository + "/manifests/" + image.digest(), null), 202);
        }
        HttpResponse<byte[]> collected = expect(RegistryClient.unauthenticated(berth.baseUri()).send("POST",
                "/api/v1/admin/gc", null, "Authorization", adminAuthorization()), 200);
        assertThat(RegistryClient.json(collected).path("blobsRemoved").asLong()).isPositive();
        awaitAnswer(() -> health("/health"), answer -> "UP".equals(answer.path("status").asString()));
        assertHealth("/health/readiness", 200);
        PushAttempt again = push(repository, LAYER_BYTES);
        assertThat(again.refusal()).as("a push once space was freed").isNull();
        for (Ledger.Image image : pushed.subList(pushed.size() / 2, pushed.size())) {
            assertPulls(image);
        }
        assertThat(berth.isAlive()).as("the same Berth, never restarted").isTrue();
    }

    /** An image pushed, or the answer that refused one of its steps. */
    private record PushAttempt(HttpResponse<byte[]> refusal) {
    }

    private PushAttempt push(String repository, int layerBytes) {
        byte[] config = RegistryClient.config();
        byte[] layer = randomBytes(layerBytes);
        byte[] shared = RegistryClient.bytes("a layer every image of " + repository + " has");
        List<byte[]> blobs = List.of(config, layer, shared);
        for (byte[] blob : blobs) {
            HttpResponse<byte[]> answer = registry.send("POST", "/v2/" + repository + "/blobs/uploads/?digest="
                    + Digest.sha256(blob), blob, "Content-Type", "application/octet-stream");
            if (answer.statusCode() != 201) {
                return new PushAttempt(answer);
            }
        }
        byte[] manifest = CrashWorkload.manifest(blobs);
        String tag = "t" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<byte[]> answer = registry.putManifest(repository, tag, OciImages.MANIFEST_TYPE, manifest);
        if (answer.statusCode() != 201) {
            return new PushAttempt(answer);
        }
        pushed.add(new Ledger.Image(repository, tag, Digest.sha256(manifest), manifest,
                blobs.stream().map(Digest::sha256).toList()));
        return new PushAttempt(null);
    }

    private void assertPulls(Ledger.Image image) {
        HttpResponse<byte[]> manifest = expect(registry.get("/v2/" + image.repository() + "/manifests/" + image.tag(),
                "Accept", OciImages.MANIFEST_TYPE), 200);
        assertThat(manifest.body()).isEqualTo(image.manifest());
        for (Digest blob : image.blobs()) {
            HttpResponse<byte[]> bytes = expect(registry.get("/v2/" + image.repository() + "/blobs/" + blob), 200);
            assertThat(Digest.sha256(bytes.body())).isEqualTo(blob);
        }
    }

    private HttpResponse<byte[]> createToken() {
        return RegistryClient.unauthenticated(berth.baseUri()).send("POST", "/api/v1/user/tokens",
                RegistryClient.bytes("{\"name\":\"disk-" + UUID.randomUUID() + "\",\"scopes\":[\"read\"]}"),
                "Authorization", adminAuthorization(), "Content-Type", "application/json");
    }

    private static String adminAuthorization() {
        return RegistryClient.basic(TestAccounts.ADMIN, TestAccounts.ADMIN_PASSWORD);
    }

    /**
     * H2 writes a commit into free space inside its file while there is some (what it freed stays reserved for
     * {@code RETENTION_TIME}), so the first writes after the disk filled may still succeed; each must be either done
     * (201) or refused as a full disk (507) until the file has to grow.
     */
    private static HttpResponse<byte[]> firstRefusal(Supplier<HttpResponse<byte[]>> write) {
        for (int attempt = 0; attempt < 1000; attempt++) {
            HttpResponse<byte[]> answer = write.get();
            if (answer.statusCode() != 201) {
                assertThat(answer.statusCode()).as(CrashWorkload.text(answer)).isEqualTo(507);
                return answer;
            }
        }
        throw new AssertionError("1000 database writes succeeded on a full disk");
    }

    private JsonNode assertHealth(String path, int status) {
        HttpResponse<byte[]> answer = RegistryClient.unauthenticated(berth.managementUri()).get("/actuator" + path);
        assertThat(answer.statusCode()).as(path + ": " + CrashWorkload.text(answer)).isEqualTo(status);
        return RegistryClient.json(answer);
    }

    private JsonNode health(String path) {
        return RegistryClient.json(RegistryClient.unauthenticated(berth.managementUri()).get("/actuator" + path));
    }

    /** Writes zeros until {@code bytes} are written or the disk is full; returns the file. */
    private static Path fill(Path file, long bytes) throws IOException {
        byte[] block = new byte[1024 * 1024];
        long written = 0;
        try (OutputStream out = Files.newOutputStream(file)) {
            while (written < bytes) {
                int n = (int) Math.min(block.length, bytes - written);
                out.write(block, 0, n);
                written += n;
            }
        } catch (IOException e) {
            if (bytes != Long.MAX_VALUE || !String.valueOf(e.getMessage()).contains("No space left on device")) {
                throw e;
            }
        }
        return file;
    }

    /** A PATCH whose body has no length: sent chunked, as a client streaming a layer does. */
    private HttpResponse<byte[]> streamed(String repository, String location, byte[] body) throws Exception {
        String token = registry.token("repository:" + repository + ":pull,push");
        HttpRequest request = HttpRequest.newBuilder(berth.baseUri().resolve(location))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void assertError(HttpResponse<byte[]> answer, int status, String code, String words) {
        assertThat(answer.statusCode()).as(CrashWorkload.text(answer)).isEqualTo(status);
        if (code != null) {
            JsonNode error = RegistryClient.json(answer).path("errors").path(0);
            assertThat(error.path("code").asString()).isEqualTo(code);
            assertThat(error.path("message").asString()).contains(words);
        }
    }

    private static String location(HttpResponse<byte[]> answer) {
        return answer.headers().firstValue("Location").orElseThrow();
    }

    private byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    private static <T> T awaitAnswer(Supplier<T> request, Predicate<T> done) {
        long deadline = System.nanoTime() + RECOVERY_DEADLINE.toNanos();
        T answer = request.get();
        while (!done.test(answer)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still " + answer + " after " + RECOVERY_DEADLINE);
            }
            try {
                // Nothing to wait on but Berth's answers over HTTP.
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            answer = request.get();
        }
        return answer;
    }
}
