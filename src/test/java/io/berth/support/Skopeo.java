package io.berth.support;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs skopeo as a user would, with caches and credentials private to one test (see {@link ContainersIsolation}).
 * Skips the test (fails it in CI) when skopeo is not installed.
 *
 * <p>A registry that wants a login is reached in one of two ways, as with skopeo itself: {@link #withCredentials}
 * passes {@code user:password} on every command that talks to a registry, or {@link #login} stores them in the
 * test's private auth file for all later commands. Without either, skopeo fetches anonymous tokens.
 */
public final class Skopeo {

    private final Path stateDir;
    /** {@code user:password} for the {@code --creds} options, or null to pass none. */
    private final String credentials;

    /** @param stateDir where this instance keeps its cache and runtime files; the test owns and removes it */
    public Skopeo(Path stateDir) {
        this(stateDir, null);
    }

    private Skopeo(Path stateDir, String credentials) {
        RequiredTools.require("skopeo", "skopeo");
        this.stateDir = stateDir;
        this.credentials = credentials;
    }

    /**
     * The same skopeo (same cache and auth file) that passes {@code user:password} to every registry it talks to:
     * {@code --creds} for inspect, list-tags and delete, {@code --src-creds} and {@code --dest-creds} for copy and
     * sync (skopeo ignores them for a local source or destination).
     */
    public Skopeo withCredentials(String user, String password) {
        return new Skopeo(stateDir, user + ":" + password);
    }

    /** Runs {@code skopeo <args>} and fails the test with skopeo's output unless it succeeds. */
    public Commands.Result run(String... args) {
        return command(args).succeed();
    }

    /** {@code skopeo <args>} with the private cache, to run or to expect a failure from. */
    public Commands command(String... args) {
        List<String> command = new ArrayList<>();
        command.add("skopeo");
        if (args.length > 0) {
            command.add(args[0]);
            command.addAll(credentialOptions(args[0]));
            command.addAll(List.of(args).subList(1, args.length));
        }
        return ContainersIsolation.isolate(Commands.of(command), stateDir);
    }

    /** {@code skopeo login} to {@code registry} ({@code host:port}, plain HTTP), to run or to expect a failure from. */
    public Commands login(String registry, String user, String password) {
        return command("login", "--tls-verify=false", "--username", user, "--password", password, registry);
    }

    /** {@code skopeo logout}: forgets what {@link #login} stored for {@code registry}. */
    public Commands logout(String registry) {
        return command("logout", registry);
    }

    /** The auth file {@link #login} writes to. */
    public Path authFile() {
        return ContainersIsolation.authFile(stateDir);
    }

    private List<String> credentialOptions(String subcommand) {
        if (credentials == null) {
            return List.of();
        }
        return switch (subcommand) {
            case "copy", "sync" -> List.of("--src-creds", credentials, "--dest-creds", credentials);
            case "inspect", "list-tags", "delete" -> List.of("--creds", credentials);
            default -> List.of();
        };
    }
}
