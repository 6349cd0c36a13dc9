package io.berth.faults;

import static io.berth.support.RegistryClient.bytes;
import static io.berth.support.RegistryClient.descriptor;

import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import io.berth.common.Digest;
import io.berth.support.BerthProcess;
import io.berth.support.OciImages;
import io.berth.support.RegistryClient;
import io.berth.support.TestAccounts;
import tools.jackson.databind.JsonNode;

/**
 * Traffic that keeps a Berth busy with every kind of write it acknowledges, until it is killed: pushes of small blobs
 * in one request and of larger ones in chunks, manifest puts, deletes, garbage collections back to back, and personal
 * access tokens created and revoked. Every request is recorded in the {@link Ledger} before it is sent and when it is
 * answered; a thread ends at the first request Berth does not answer (it was killed).
 */
final class CrashWorkload {

    /** Live images above this many are deleted, oldest first, so that each round's checks stay small. */
    static final int LIVE_IMAGES = 12;
    static final List<String> REPOSITORIES = List.of("crash/small", "crash/chunked");
    private static final int CHUNK = 512 * 1024;

    private final BerthProcess berth;
    private final Ledger ledger;
    private final Random random;
    private final String round;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();
    private final String adminAuthorization = RegistryClient.basic(TestAccounts.ADMIN, TestAccounts.ADMIN_PASSWORD);

    CrashWorkload(BerthProcess berth, Ledger ledger, long seed, int round) {
        this.berth = berth;
        this.ledger = ledger;
        this.random = new Random(seed);
        this.round = "r" + round;
    }

    void start() {
        long seed = random.nextLong();
        run("small pushes", () -> push(REPOSITORIES.get(0), false, new Random(seed)));
        run("chunked pushes", () -> push(REPOSITORIES.get(1), true, new Random(seed + 1)));
        run("deletes", this::delete);
        run("collections", this::collect);
        run("tokens", this::cycleToken);
    }

    /** Waits for the threads, which end once Berth stops answering. */
    void awaitEnd() throws InterruptedException {
        stopped.set(true);
        for (Thread thread : threads) {
            thread.join(Duration.ofMinutes(1).toMillis());
            if (thread.isAlive()) {
                throw new AssertionError(thread.getName() + " did not end after Berth was killed");
            }
        }
    }

    private void run(String name, Runnable loop) {
        Thread thread = new Thread(() -> {
            try {
                while (!stopped.get()) {
                    loop.run();
                }
            } catch (UncheckedIOException e) {
                // Berth was killed: the request in flight stays unanswered in the ledger.
            } catch (RuntimeException e) {
                ledger.unexpected(Thread.currentThread().getName() + " failed: " + e);
            }
        }, round + " " + name);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
    }

    /** One image: blobs the registry lacks uploaded (as a client does after HEAD), then the manifest under a new tag. */
    private void push(String repository, boolean chunked, Random random) {
        RegistryClient registry = berth.registry();
        for (int attempt = 0; !stopped.get(); attempt++) {
            byte[] config = bytes("{\"architecture\":\"amd64\",\"os\":\"linux\",\"author\":\"" + UUID.randomUUID() + "\"}");
            byte[] layer = new byte[chunked ? 3 * CHUNK / 2 + random.nextInt(3 * CHUNK) : 1 + random.nextInt(64 * 1024)];
            random.nextBytes(layer);
            // Shared by many images: collected when every image using it is deleted, pushed again by the next one.
            byte[] shared = bytes("layer shared by the images of " + repository + ", number " + random.nextInt(4));
            List<byte[]> blobs = List.of(config, layer, shared);
            for (byte[] blob : blobs) {
                upload(registry, repository, blob, chunked && blob == layer);
            }
            byte[] manifest = manifest(blobs);
            Ledger.Image image = new Ledger.Image(repository, round + "-" + UUID.randomUUID().toString().substring(0, 8),
                    Digest.sha256(manifest), manifest, blobs.stream().map(Digest::sha256).toList());
            ledger.pushing(image);
            ledger.sending(Ledger.Kind.MANIFEST_PUT);
            HttpResponse<byte[]> answer = registry.putManifest(repository, image.tag(), OciImages.MANIFEST_TYPE, manifest);
            ledger.answered(Ledger.Kind.MANIFEST_PUT, answer.statusCode() == 201);
            if (answer.statusCode() == 201) {
                ledger.pushed(image);
                return;
            }
            ledger.refused(image);
            if (answer.statusCode() != 400 || !text(answer).contains("MANIFEST_BLOB_UNKNOWN") || attempt > 20) {
                ledger.unexpected("PUT manifest " + repository + ":" + image.tag() + " answered " + answer.statusCode()
                        + ": " + text(answer));
                return;
            }
            // A collection took a blob between its upload and the manifest: push again, as a client would.
        }
    }

    private void upload(RegistryClient registry, String repository, byte[] blob, boolean chunked) {
        Digest digest = Digest.sha256(blob);
        if (registry.head("/v2/" + repository + "/blobs/" + digest).statusCode() == 200) {
            return;
        }
        ledger.sending(Ledger.Kind.BLOB_UPLOAD);
        HttpResponse<byte[]> answer = chunked ? uploadInChunks(registry, repository, blob, digest)
                : registry.send("POST", "/v2/" + repository + "/blobs/uploads/?digest=" + digest, blob,
                        "Content-Type", "application/octet-stream");
        ledger.answered(Ledger.Kind.BLOB_UPLOAD, answer.statusCode() == 201);
        if (answer.statusCode() == 201) {
            ledger.blobStored(digest, blob.length);
        } else {
            ledger.unexpected("upload of " + digest + " to " + repository + " answered " + answer.statusCode() + ": "
                    + text(answer));
        }
    }

    private static HttpResponse<byte[]> uploadInChunks(RegistryClient registry, String repository, byte[] blob,
            Digest digest) {
        HttpResponse<byte[]> answer = registry.send("POST", "/v2/" + repository + "/blobs/uploads/", null);
        if (answer.statusCode() != 202) {
            return answer;
        }
        String location = answer.headers().firstValue("Location").orElseThrow();
        for (int offset = 0; offset < blob.length; offset += CHUNK) {
            int end = Math.min(blob.length, offset + CHUNK);
            answer = registry.send("PATCH", location, Arrays.copyOfRange(blob, offset, end),
                    "Content-Type", "application/octet-stream", "Content-Range", offset + "-" + (end - 1));
            if (answer.statusCode() != 202) {
                return answer;
            }
            location = answer.headers().firstValue("Location").orElseThrow();
        }
        return registry.send("PUT", location + (location.contains("?") ? "&" : "?") + "digest=" + digest, null);
    }

    private void delete() {
        Optional<Ledger.Image> image;
        try {
            image = ledger.deletable(LIVE_IMAGES, Duration.ofMillis(200));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped.set(true);
            return;
        }
        if (image.isEmpty()) {
            return;
        }
        ledger.sending(Ledger.Kind.MANIFEST_DELETE);
        HttpResponse<byte[]> answer = berth.registry().send("DELETE",
                "/v2/" + image.get().repository() + "/manifests/" + image.get().digest(), null);
        ledger.answered(Ledger.Kind.MANIFEST_DELETE, answer.statusCode() == 202);
        ledger.deleteAnswered(image.get(), answer.statusCode() == 202);
        if (answer.statusCode() != 202) {
            ledger.unexpected("DELETE " + image.get() + " answered " + answer.statusCode() + ": " + text(answer));
        }
    }

    private void collect() {
        ledger.sending(Ledger.Kind.GC);
        HttpResponse<byte[]> answer = api("POST", "/api/v1/admin/gc", null);
        ledger.answered(Ledger.Kind.GC, answer.statusCode() == 200);
        if (answer.statusCode() != 200) {
            ledger.unexpected("POST /api/v1/admin/gc answered " + answer.statusCode() + ": " + text(answer));
            return;
        }
        // The database keeps microseconds.
        ledger.collected(Instant.parse(RegistryClient.json(answer).path("startedAt").asString()).truncatedTo(ChronoUnit.MICROS));
    }

    private void cycleToken() {
        HttpResponse<byte[]> created = api("POST", "/api/v1/user/tokens",
                "{\"name\":\"crash-" + UUID.randomUUID() + "\",\"scopes\":[\"read\"]}");
        if (created.statusCode() != 201) {
            ledger.unexpected("POST /api/v1/user/tokens answered " + created.statusCode() + ": " + text(created));
            return;
        }
        JsonNode body = RegistryClient.json(created);
        Ledger.Token token = new Ledger.Token(body.path("id").asLong(), body.path("token").asString());
        ledger.tokenCreated(token);
        ledger.revoking(token);
        ledger.sending(Ledger.Kind.TOKEN_REVOKE);
        HttpResponse<byte[]> revoked = api("DELETE", "/api/v1/user/tokens/" + token.id(), null);
        ledger.answered(Ledger.Kind.TOKEN_REVOKE, revoked.statusCode() == 204);
        if (revoked.statusCode() == 204) {
            ledger.revoked(token);
        } else {
            ledger.unexpected("DELETE token " + token.id() + " answered " + revoked.statusCode() + ": " + text(revoked));
        }
        // Every other token stays: the checks sign in with some that were never revoked.
        if (random.nextInt(3) == 0) {
            HttpResponse<byte[]> kept = api("POST", "/api/v1/user/tokens",
                    "{\"name\":\"crash-kept-" + UUID.randomUUID() + "\",\"scopes\":[\"read\"]}");
            if (kept.statusCode() == 201) {
                JsonNode keptBody = RegistryClient.json(kept);
                ledger.tokenCreated(new Ledger.Token(keptBody.path("id").asLong(), keptBody.path("token").asString()));
            }
        }
    }

    private HttpResponse<byte[]> api(String method, String path, String json) {
        return RegistryClient.unauthenticated(berth.baseUri()).send(method, path,
                json == null ? null : json.getBytes(StandardCharsets.UTF_8),
                "Authorization", adminAuthorization, "Content-Type", "application/json");
    }

    static byte[] manifest(List<byte[]> blobs) {
        StringBuilder layers = new StringBuilder();
        for (byte[] layer : blobs.subList(1, blobs.size())) {
            layers.append(layers.isEmpty() ? "" : ",").append(descriptor("application/vnd.oci.image.layer.v1.tar",
                    Digest.sha256(layer), layer.length));
        }
        return bytes("{\"schemaVersion\":2,\"mediaType\":\"" + OciImages.MANIFEST_TYPE + "\",\"config\":"
                + descriptor(OciImages.CONFIG_TYPE, Digest.sha256(blobs.get(0)), blobs.get(0).length) + ",\"layers\":["
                + layers + "]}");
    }

    static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }
}
