package io.berth.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data dir an older Berth left open to every account is closed at start: the data dir and Berth's directories in it
 * 0700, the database's files 0600; what Berth creates is owner-only from the start. (The whole tree of a running
 * Berth, through dozens of restarts, is checked by the crash tests in {@code io.berth.faults}.)
 */
class DataDirPermissionsTest {

    @TempDir
    Path temp;

    @Test
    void anOpenDataDirIsClosedAtStart() throws IOException {
        Path dataDir = temp.resolve("data");
        for (String dir : new String[] {"", "db", "blobs", "uploads", "keys", "engine"}) {
            Files.createDirectories(dataDir.resolve(dir));
            Files.setPosixFilePermissions(dataDir.resolve(dir), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Path database = Files.writeString(dataDir.resolve("db/berth.mv.db"), "H2");
        Files.setPosixFilePermissions(database, PosixFilePermissions.fromString("rw-r--r--"));

        DataDirPermissions.closeDirectories(dataDir);
        DataDirPermissions.closeDatabaseFiles(dataDir);

        for (String dir : new String[] {"", "db", "blobs", "uploads", "keys"}) {
            assertThat(mode(dataDir.resolve(dir))).as(dir).isEqualTo("rwx------");
        }
        assertThat(mode(database)).isEqualTo("rw-------");
        // The Engine's tree keeps the modes the Engine gave it; nobody else can reach it through the data dir anyway.
        assertThat(mode(dataDir.resolve("engine"))).isEqualTo("rwxr-xr-x");
    }

    @Test
    void whatBerthCreatesIsOwnerOnlyFromTheStart() throws IOException {
        Path dir = OwnerOnly.createDirectories(temp.resolve("a/b/c"));
        Path file = OwnerOnly.createFile(dir.resolve("f"));
        assertThat(mode(temp.resolve("a"))).isEqualTo("rwx------");
        assertThat(mode(dir)).isEqualTo("rwx------");
        assertThat(mode(file)).isEqualTo("rw-------");
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
