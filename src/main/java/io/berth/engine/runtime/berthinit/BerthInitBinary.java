package io.berth.engine.runtime.berthinit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * berth-init as the build compiled it into the jar, installed at {@code <data-dir>/engine/bin/berth-init}: the kernel
 * can only exec a file, and the installed copy is replaced whenever it differs from the jar's (an upgrade, or a
 * copy someone tampered with).
 */
public final class BerthInitBinary {

    static final String RESOURCE = "berth-init";

    private BerthInitBinary() {
    }

    /** Where {@link #install} puts berth-init for a node whose data dir is {@code dataDir}. */
    public static Path location(Path dataDir) {
        return dataDir.resolve("engine").resolve("bin").resolve(RESOURCE);
    }

    /** Installs (or keeps) berth-init under {@code dataDir} and returns its path. */
    public static Path install(Path dataDir) throws IOException {
        byte[] binary;
        try (InputStream in = BerthInitBinary.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("berth-init is missing from the classpath (io/berth/engine/runtime/berthinit/"
                        + RESOURCE + "): the build compiles it from src/main/c");
            }
            binary = in.readAllBytes();
        }
        Path target = location(dataDir);
        Path bin = Files.createDirectories(target.getParent());
        if (Files.isRegularFile(target) && sha256(Files.readAllBytes(target)).equals(sha256(binary))
                && Files.isExecutable(target)) {
            return target;
        }
        Path temporary = Files.createTempFile(bin, RESOURCE, ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try {
            Files.write(temporary, binary);
            // A rename, not an overwrite: a running monitor keeps its old inode, and exec never sees half a file.
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
        return target;
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
