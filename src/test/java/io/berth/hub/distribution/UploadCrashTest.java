package io.berth.hub.distribution;

import static io.berth.support.RegistryClient.expect;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.berth.common.Digest;
import io.berth.common.DigestAlgorithm;
import io.berth.support.BerthProcess;
import io.berth.support.RegistryClient;

/**
 * Berth killed with SIGKILL in the middle of a chunked upload, restarted on the same data dir: the upload resumes
 * from what the registry reports, and no blob ever sits under a digest its bytes do not match.
 */
class UploadCrashTest {

    private static final int CHUNK = 1024 * 1024;

    @TempDir
    Path temp;

    @Test
    void uploadResumesAfterSigkillMidChunk() throws Exception {
        byte[] content = new byte[3 * CHUNK];
        new Random(42).nextBytes(content);
        Digest digest = Digest.sha256(content);
        Path dataDir = temp.resolve("data");
        String repository = "crash/test";
        String location;

        try (BerthProcess berth = BerthProcess.start(dataDir)) {
            RegistryClient registry = berth.registry();
            location = expect(registry.send("POST", "/v2/" + repository + "/blobs/uploads/", null), 202)
                    .headers().firstValue("Location").orElseThrow();
            expect(registry.send("PATCH", location, Arrays.copyOfRange(content, 0, CHUNK),
                    "Content-Range", "0-" + (CHUNK - 1)), 202);

            // The second chunk: announce all of it, send half, and kill Berth while it waits for the rest. Written by
            // hand, so it carries its token itself: without one Berth would answer 401 before reading the body.
            String token = registry.token("repository:" + repository + ":pull,push");
            try (Socket socket = new Socket("127.0.0.1", berth.baseUri().getPort())) {
                OutputStream out = socket.getOutputStream();
                out.write(("PATCH " + location + " HTTP/1.1\r\nHost: " + berth.registryHost() + "\r\n"
                        + "Authorization: Bearer " + token + "\r\n"
                        + "Content-Type: application/octet-stream\r\nContent-Range: " + CHUNK + "-" + (2 * CHUNK - 1)
                        + "\r\nContent-Length: " + CHUNK + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(content, CHUNK, CHUNK / 2);
                out.flush();
                awaitUploadLargerThan(dataDir, CHUNK);
                berth.killHard();
            }
        }

        try (BerthProcess berth = BerthProcess.start(dataDir)) {
            RegistryClient registry = berth.registry();
            HttpResponse<byte[]> status = registry.get(location);
            if (status.statusCode() == 204) {
                // Resume from exactly what the registry holds, as a client following the spec does.
                String range = status.headers().firstValue("Range").orElseThrow();
                int held = Integer.parseInt(range.substring(range.indexOf('-') + 1)) + 1;
                assertThat(held).isBetween(CHUNK, 2 * CHUNK);
                String next = status.headers().firstValue("Location").orElseThrow();
                expect(registry.send("PATCH", next, Arrays.copyOfRange(content, held, content.length),
                        "Content-Range", held + "-" + (content.length - 1)), 202);
                expect(registry.send("PUT", next + "?digest=" + digest, null), 201);
            } else {
                // Or the upload is gone and starts over cleanly.
                assertThat(status.statusCode()).isEqualTo(404);
                String fresh = expect(registry.send("POST", "/v2/" + repository + "/blobs/uploads/", null), 202)
                        .headers().firstValue("Location").orElseThrow();
                expect(registry.send("PUT", fresh + "?digest=" + digest, content), 201);
            }
            assertThat(Digest.sha256(expect(registry.get("/v2/" + repository + "/blobs/" + digest), 200).body()))
                    .isEqualTo(digest);
            assertEveryBlobMatchesItsName(dataDir);
        }
    }

    /** Waits until the partial chunk has reached the upload file, so the kill lands mid-chunk. */
    private static void awaitUploadLargerThan(Path dataDir, long size) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            try (Stream<Path> files = Files.walk(dataDir.resolve("uploads"))) {
                List<Path> data = files.filter(p -> p.getFileName().toString().equals("data")).toList();
                for (Path file : data) {
                    if (Files.size(file) > size) {
                        return;
                    }
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the partial chunk never reached the upload file");
    }

    private static void assertEveryBlobMatchesItsName(Path dataDir) throws IOException {
        try (Stream<Path> files = Files.walk(dataDir.resolve("blobs"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                DigestAlgorithm algorithm = DigestAlgorithm.fromPrefix(file.getParent().getParent().getFileName().toString())
                        .orElseThrow();
                try (InputStream in = Files.newInputStream(file)) {
                    var messageDigest = algorithm.newMessageDigest();
                    byte[] buffer = new byte[64 * 1024];
                    int n;
                    while ((n = in.read(buffer)) != -1) {
                        messageDigest.update(buffer, 0, n);
                    }
                    assertThat(Digest.fromBytes(algorithm, messageDigest.digest()).hex())
                            .as("bytes of %s", file).isEqualTo(file.getFileName().toString());
                }
            }
        }
    }
}
