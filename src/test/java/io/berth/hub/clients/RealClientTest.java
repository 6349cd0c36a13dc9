package io.berth.hub.clients;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.berth.support.BerthIntegrationTest;

/**
 * Base of the tests that drive real registry clients (skopeo, podman, Jib) against Berth.
 *
 * <p>{@code -Dberth.test.registry=127.0.0.1:5002} points the clients at another registry instead, e.g. the
 * reference implementation ({@code docker-registry serve}), to tell a Berth bug from a test or client quirk.
 */
abstract class RealClientTest extends BerthIntegrationTest {

    static final String MANIFEST_ACCEPT = String.join(", ",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.oci.image.index.v1+json",
            "application/vnd.docker.distribution.manifest.v2+json",
            "application/vnd.docker.distribution.manifest.list.v2+json");

    /** {@code host:port} of the registry under test, as the clients name it. */
    String registry() {
        return System.getProperty("berth.test.registry", registryHost());
    }

    URI registryUri() {
        return URI.create("http://" + registry());
    }

    /** GET {@code path} on the registry under test, asking for any manifest type. */
    HttpResponse<byte[]> get(String path) {
        HttpRequest request = HttpRequest.newBuilder(registryUri().resolve(path))
                .header("Accept", MANIFEST_ACCEPT)
                .timeout(Duration.ofSeconds(30))
                .GET()
                .build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: GET " + request.uri(), e);
        }
    }
}
