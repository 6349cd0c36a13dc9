package io.berth.hub.clients;

import java.net.URI;
import java.net.http.HttpResponse;

import io.berth.support.BerthIntegrationTest;
import io.berth.support.RegistryClient;

/**
 * Base of the tests that drive real registry clients (skopeo, podman, Jib) against Berth. They log in as
 * {@link #ADMIN}, who may push anywhere.
 *
 * <p>{@code -Dberth.test.registry=127.0.0.1:5002} points the clients at another registry instead, e.g. the
 * reference implementation ({@code docker-registry serve}), to tell a Berth bug from a test or client quirk. The
 * clients still send the admin's credentials when challenged, which a registry without authentication never does;
 * tests of what Berth refuses ({@link LoginClientTest}) only hold for a registry that refuses the same.
 */
abstract class RealClientTest extends BerthIntegrationTest {

    static final String MANIFEST_ACCEPT = String.join(", ",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.oci.image.index.v1+json",
            "application/vnd.docker.distribution.manifest.v2+json",
            "application/vnd.docker.distribution.manifest.list.v2+json");

    private RegistryClient adminClient;

    /** {@code host:port} of the registry under test, as the clients name it. */
    String registryAddress() {
        return System.getProperty("berth.test.registry", registryHost());
    }

    URI registryUri() {
        return URI.create("http://" + registryAddress());
    }

    /** GET {@code path} on the registry under test as {@link #ADMIN}, asking for any manifest type. */
    HttpResponse<byte[]> get(String path) {
        if (adminClient == null) {
            // One per test, so that its tokens are reused for the test's later requests.
            adminClient = RegistryClient.as(registryUri(), ADMIN, ADMIN_PASSWORD);
        }
        return adminClient.get(path, "Accept", MANIFEST_ACCEPT);
    }
}
