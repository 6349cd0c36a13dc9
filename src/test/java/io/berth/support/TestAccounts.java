package io.berth.support;

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
}
