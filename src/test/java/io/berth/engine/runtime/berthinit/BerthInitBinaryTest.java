package io.berth.engine.runtime.berthinit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BerthInitBinaryTest {

    @TempDir
    Path dataDir;

    @Test
    void installsTheJarsCopyAndReplacesAChangedOne() throws IOException {
        byte[] expected;
        try (InputStream in = BerthInitBinary.class.getResourceAsStream(BerthInitBinary.RESOURCE)) {
            expected = in.readAllBytes();
        }
        Path installed = BerthInitBinary.install(dataDir);
        assertEquals(dataDir.resolve("engine/bin/berth-init"), installed);
        assertArrayEquals(expected, Files.readAllBytes(installed));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(installed)));

        Files.write(installed, new byte[] {1, 2, 3});
        assertArrayEquals(expected, Files.readAllBytes(BerthInitBinary.install(dataDir)));
        assertTrue(Files.isExecutable(installed));
        try (var files = Files.list(installed.getParent())) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }
}
