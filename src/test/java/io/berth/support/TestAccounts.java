package io.berth.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

/**
 * The accounts every test Berth has. Berth creates {@link #ADMIN} on its first start with the password it is given
 * in {@code berth.hub.initial-admin-password}; the in-process context ({@link BerthIntegrationTest}) and Berth in a
 * JVM of its own ({@link BerthProcess}) both pass {@link #ADMIN_PASSWORD}, so one set of credentials works for all.
 */
public final class TestAccounts {

    public static final String ADMIN = "admin";

    /** Plain ASCII without {@code :}, so it survives Basic auth, a command line and {@code --creds user:password}. */
    public static final String ADMIN_PASSWORD = "berth-test-admin-2xQ9";

    private TestAccounts() {
    }

    /** An account a test signed up for itself. */
    public record User(String name, String password) {
    }

    /**
     * Signs up a new user, named {@code <prefix>-<random>}, through the REST API of the Berth at {@code base}: the way
     * anyone gets an account while sign-up is open. Fails the test when the Hub refuses.
     */
    public static User signUp(URI base, String prefix) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        User user = new User(name, "a password of " + name);
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/v1/users"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + name + "\",\"email\":\"" + name
                        + "@example.com\",\"password\":\"" + user.password() + "\"}"))
                .build();
        try {
            HttpResponse<String> created = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            if (created.statusCode() != 201) {
                throw new AssertionError("sign-up of " + name + " answered " + created.statusCode() + ": " + created.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return user;
    }
}
