package io.berth.hub.metadata;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import io.berth.support.Commands;
import io.berth.support.RequiredTools;

/**
 * A throwaway PostgreSQL cluster of the test's own (initdb in a temp dir, its own port and socket dir), so the test
 * never touches, nor needs, the machine's default cluster. {@link #close} stops it and removes every file it wrote.
 *
 * <p>Its default collation is deliberately not byte order: ICU {@code en-US} where initdb offers a locale provider
 * (PostgreSQL 15+), which needs no OS locale at all. The libc fallback for older versions is {@code en_US.UTF-8}
 * when {@code locale -a} lists it; {@code C.UTF-8} would not do, as glibc (2.35+) sorts it by code point just like
 * {@code C}, and then a query missing {@code COLLATE "C"} would pass unnoticed.
 */
final class PostgresCluster implements AutoCloseable {

    static final String USER = "berth";
    static final String DATABASE = "berth";

    private static final Path INSTALL_ROOT = Path.of("/usr/lib/postgresql");
    private static final String OS_USER = "postgres";

    private final Path dir;
    private final Path binDir;
    private final int port;
    private boolean running;

    private PostgresCluster(Path dir, Path binDir, int port) {
        this.dir = dir;
        this.binDir = binDir;
        this.port = port;
    }

    /** initdb, start, CREATE DATABASE berth. Skips (or fails, with CI=true) when PostgreSQL is not installed. */
    static PostgresCluster start() {
        Path initdb = RequiredTools.require(findInitdb().toString(), "postgresql");
        if (isRoot()) {
            RequiredTools.require("runuser", "util-linux");
        }
        PostgresCluster cluster;
        try {
            Path dir = Files.createTempDirectory("berth-pg");
            cluster = new PostgresCluster(dir, initdb.getParent(), freePort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            cluster.initAndStart();
            cluster.createDatabase();
            return cluster;
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    String jdbcUrl() {
        return jdbcUrl(DATABASE);
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), USER, "");
    }

    /** What the server logged so far, for failure messages. */
    String log() {
        try {
            Path log = dir.resolve("postgres.log");
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "cannot read the PostgreSQL log: " + e;
        }
    }

    /** Stops the server at once (nothing in it is worth a checkpoint) and deletes the cluster's files. */
    @Override
    public void close() {
        try {
            if (running) {
                run(List.of(binDir.resolve("pg_ctl").toString(), "-D", dataDir().toString(), "-m", "immediate", "-w",
                        "stop")).assertSuccess();
                running = false;
            }
        } finally {
            deleteRecursively(dir);
        }
    }

    private void initAndStart() {
        if (isRoot()) {
            // initdb refuses to run as root; the cluster belongs to the postgres OS user, which needs its dir.
            chownToPostgres(dir);
        }
        List<String> initdb = new ArrayList<>(List.of(binDir.resolve("initdb").toString(), "-D", dataDir().toString(),
                "-A", "trust", "-U", USER, "-E", "UTF8",
                // No fsync: the cluster lives for one test run; this keeps initdb well under a second.
                "--no-sync"));
        initdb.addAll(nonByteOrderLocale());
        run(initdb).assertSuccess();
        run(List.of(binDir.resolve("pg_ctl").toString(), "-D", dataDir().toString(), "-l",
                dir.resolve("postgres.log").toString(), "-w", "-t", "60", "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start"))
                .assertSuccess();
        running = true;
    }

    private List<String> nonByteOrderLocale() {
        String help = run(List.of(binDir.resolve("initdb").toString(), "--help")).stdout();
        if (help.contains("--locale-provider")) {
            // The libc part only sets LC_CTYPE etc. here; C.UTF-8 exists on every Debian system.
            return List.of("--locale=C.UTF-8", "--locale-provider=icu", "--icu-locale=en-US");
        }
        String locales = Commands.succeed("locale", "-a").stdout();
        boolean enUs = locales.lines().anyMatch(l -> l.equalsIgnoreCase("en_US.utf8") || l.equalsIgnoreCase("en_US.UTF-8"));
        // Without en_US (Debian: the locales package and /etc/locale.gen) this is the best there is, and the
        // test's collation precondition fails, saying so.
        return List.of("--locale=" + (enUs ? "en_US.UTF-8" : "C.UTF-8"));
    }

    private void createDatabase() {
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), USER, "");
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + DATABASE);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + DATABASE + "\n" + log(), e);
        }
    }

    private String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    private Path dataDir() {
        return dir.resolve("pg");
    }

    /** Runs a PostgreSQL tool as the postgres OS user when the test runs as root, else as the test's own user. */
    private Commands.Result run(List<String> command) {
        List<String> full = new ArrayList<>();
        if (isRoot()) {
            full.addAll(List.of("runuser", "-u", OS_USER, "--"));
        }
        full.addAll(command);
        // The postgres user may not be allowed into the test's working directory; the cluster's dir it owns.
        return Commands.of(full).directory(dir).timeout(Duration.ofMinutes(2)).run();
    }

    /** The newest installed major version, or 15's path (which RequiredTools then reports missing). */
    private static Path findInitdb() {
        try (Stream<Path> versions = Files.isDirectory(INSTALL_ROOT) ? Files.list(INSTALL_ROOT) : Stream.empty()) {
            Optional<Path> newest = versions
                    .filter(v -> v.getFileName().toString().matches("\\d+"))
                    .map(v -> v.resolve("bin/initdb"))
                    .filter(Files::isExecutable)
                    .max(Comparator.comparingInt(p -> Integer.parseInt(p.getParent().getParent().getFileName().toString())));
            return newest.orElse(INSTALL_ROOT.resolve("15/bin/initdb"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void chownToPostgres(Path path) {
        try {
            UserPrincipal postgres = FileSystems.getDefault().getUserPrincipalLookupService()
                    .lookupPrincipalByName(OS_USER);
            Files.setOwner(path, postgres);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hand " + path + " to the " + OS_USER + " OS user", e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
