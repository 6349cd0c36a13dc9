package io.berth.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

/** What a stopped Berth left in its data dir: the database and the blob files agree, and only the owner can read them. */
final class DataDirAudit {

    private DataDirAudit() {
    }

    /**
     * Every blob row names a file that exists, every blob file has its row, and no removal is left half done. Berth
     * must be stopped (the embedded database is opened here) and a collection must have run after the last crash.
     */
    static void assertDatabaseAgreesWithFiles(Path dataDir) throws IOException, SQLException {
        Set<String> rows = new HashSet<>();
        Set<String> marked = new HashSet<>();
        // No trace file of this connection's own in the data dir whose modes are checked next.
        String url = "jdbc:h2:file:" + dataDir.resolve("db").resolve("berth") + ";TRACE_LEVEL_FILE=0";
        try (Connection connection = DriverManager.getConnection(url, "berth", "");
                Statement statement = connection.createStatement();
                ResultSet blobs = statement.executeQuery("SELECT digest, deleting FROM blob")) {
            while (blobs.next()) {
                (blobs.getBoolean(2) ? marked : rows).add(blobs.getString(1));
            }
        }
        Set<String> files = new HashSet<>();
        Path blobsDir = dataDir.resolve("blobs");
        try (Stream<Path> paths = Files.walk(blobsDir)) {
            paths.filter(Files::isRegularFile)
                    .filter(file -> file.getParent().getParent().getParent().equals(blobsDir))
                    .forEach(file -> files.add(file.getParent().getParent().getFileName() + ":" + file.getFileName()));
        }
        assertThat(marked).as("blobs a collection marked and never finished removing").isEmpty();
        assertThat(files).as("blob files (left) against blob rows in the database (right)")
                .containsExactlyInAnyOrderElementsOf(rows);
    }

    /** The data dir, Berth's directories in it and everything in its database, blob and upload directories. */
    static void assertOwnerOnly(Path dataDir) throws IOException {
        assertMode(dataDir, "rwx------");
        for (String name : new String[] {"db", "blobs", "uploads"}) {
            try (Stream<Path> paths = Files.walk(dataDir.resolve(name))) {
                for (Path path : paths.toList()) {
                    assertMode(path, Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) ? "rwx------" : "rw-------");
                }
            }
        }
    }

    private static void assertMode(Path path, String mode) throws IOException {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS)))
                .as("mode of %s", path).isEqualTo(mode);
    }
}
