package io.berth.hub.access.token;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.util.EnumSet;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;

/**
 * The key that signs and verifies tokens: an EC P-256 private key in a JWK file. A configured file is used as it is,
 * so that replicas configured with one file issue tokens any of them accepts. Without one, the key lives in
 * {@code <data dir>/keys/token-signing.jwk} and is made at the first start.
 */
public final class SigningKeys {

    /** Where the key lives, under the data dir, when no file is configured. */
    public static final String DEFAULT_FILE = "keys/token-signing.jwk";

    private static final Logger log = LoggerFactory.getLogger(SigningKeys.class);
    private static final Set<PosixFilePermission> OWNER_READ_WRITE =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

    private final ECKey key;

    private SigningKeys(ECKey key) {
        this.key = key;
    }

    /**
     * Loads the signing key.
     *
     * @param dataDir        the data dir, where the key is kept when none is configured
     * @param configuredFile a JWK file to use instead, or null; it must exist (a replica that made its own key would
     *                       refuse the tokens of the others)
     * @throws IOException           if the file cannot be read or written
     * @throws IllegalStateException if the file does not hold an EC P-256 private key fit to sign ES256 tokens
     */
    public static SigningKeys load(Path dataDir, Path configuredFile) throws IOException {
        if (configuredFile != null) {
            return new SigningKeys(read(configuredFile));
        }
        Path file = dataDir.resolve(DEFAULT_FILE);
        try {
            return new SigningKeys(read(file));
        } catch (NoSuchFileException e) {
            return new SigningKeys(create(file));
        }
    }

    /** The key's ID, the {@code kid} of every token it signs. */
    public String keyId() {
        return key.getKeyID();
    }

    /** The public half as a JWK set, what a {@code jwks} endpoint serves and a verifier elsewhere would trust. */
    public JWKSet publicJwkSet() {
        return new JWKSet(key.toPublicJWK());
    }

    /** The private key, for the issuer in this package only. */
    ECKey signingKey() {
        return key;
    }

    private static ECKey read(Path file) throws IOException {
        String json = Files.readString(file, StandardCharsets.UTF_8);
        warnIfReadableByOthers(file);
        JWK jwk;
        try {
            jwk = JWK.parse(json);
        } catch (ParseException e) {
            throw new IllegalStateException("token signing key " + file + " is not a JWK: " + e.getMessage(), e);
        }
        if (!(jwk instanceof ECKey ec) || !Curve.P_256.equals(ec.getCurve()) || !ec.isPrivate()) {
            throw new IllegalStateException("token signing key " + file + " is not an EC P-256 private key");
        }
        if ((ec.getAlgorithm() != null && !JWSAlgorithm.ES256.equals(ec.getAlgorithm()))
                || (ec.getKeyUse() != null && !KeyUse.SIGNATURE.equals(ec.getKeyUse()))) {
            throw new IllegalStateException("token signing key " + file + " is not meant for ES256 signatures");
        }
        if (ec.getKeyID() == null) {
            try {
                ec = new ECKey.Builder(ec).keyIDFromThumbprint().build();
            } catch (JOSEException e) {
                throw new IllegalStateException("cannot compute the ID of token signing key " + file, e);
            }
        }
        checkHalvesMatch(ec, file);
        return ec;
    }

    /**
     * Makes a new key and publishes it under its name in one step: written and synced to a temporary file that is
     * owner-only from its creation, then hard-linked to the final name. A link, unlike a rename, never replaces a file
     * that is already there, so if another process made a key at the same moment, both end up using the same one.
     */
    private static ECKey create(Path file) throws IOException {
        Path dir = file.getParent();
        Files.createDirectories(dir.getParent());
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
        } catch (FileAlreadyExistsException e) {
            // made before, by an earlier start or by the operator
        }
        ECKey key = generate();
        Path temp = Files.createTempFile(dir, ".token-signing-", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE));
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(key.toJSONString().getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            try {
                Files.createLink(file, temp);
            } catch (FileAlreadyExistsException e) {
                return read(file);
            }
            syncDirectory(dir);
            log.info("created token signing key {} in {}", key.getKeyID(), file);
            return key;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static ECKey generate() {
        try {
            return new ECKeyGenerator(Curve.P_256)
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.ES256)
                    .keyIDFromThumbprint(true)
                    .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate an EC P-256 key", e);
        }
    }

    // A file whose private part does not belong to its public part would sign tokens that nothing verifies; better to
    // refuse it at start than to answer every client with invalid_token.
    private static void checkHalvesMatch(ECKey key, Path file) {
        try {
            JWSObject probe = new JWSObject(new JWSHeader(JWSAlgorithm.ES256), new Payload("berth"));
            probe.sign(new ECDSASigner(key));
            if (probe.verify(new ECDSAVerifier(key.toPublicJWK()))) {
                return;
            }
        } catch (JOSEException e) {
            throw new IllegalStateException("token signing key " + file + " cannot sign: " + e.getMessage(), e);
        }
        throw new IllegalStateException("token signing key " + file + ": private and public parts do not match");
    }

    private static void warnIfReadableByOthers(Path file) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.stream().anyMatch(permission -> !permission.name().startsWith("OWNER_"))) {
                log.warn("token signing key {} is readable by others ({}); it should be 0600",
                        file, PosixFilePermissions.toString(permissions));
            }
        } catch (IOException | UnsupportedOperationException e) {
            // no POSIX permissions to check here
        }
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Not every file system lets a directory be synced; the link itself is already atomic.
        }
    }
}
