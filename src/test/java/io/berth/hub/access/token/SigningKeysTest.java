package io.berth.hub.access.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;

import io.berth.support.TestClock;

/** The signing key: made once with owner-only permissions, then reused, or taken from a configured file. */
class SigningKeysTest {

    private static final TokenSettings SETTINGS = new TokenSettings("berth", "hub.example.com", null);

    @TempDir
    Path dataDir;

    @Test
    void createsAnOwnerOnlyKeyAtTheFirstStart() throws Exception {
        SigningKeys keys = SigningKeys.load(dataDir, null);

        Path file = dataDir.resolve("keys/token-signing.jwk");
        assertThat(file).isRegularFile();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertThat(files).as("no temporary file left behind").containsExactly(file);
        }

        ECKey stored = (ECKey) JWK.parse(Files.readString(file));
        assertThat(stored.isPrivate()).isTrue();
        assertThat(stored.getCurve()).isEqualTo(Curve.P_256);
        assertThat(stored.getKeyID()).isEqualTo(keys.keyId()).isEqualTo(stored.computeThumbprint().toString());
        assertThat(stored.getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(stored.getKeyUse()).isEqualTo(KeyUse.SIGNATURE);
    }

    @Test
    void reusesTheKeyAtTheNextStart() throws Exception {
        TestClock clock = new TestClock(Instant.parse("2025-06-01T12:00:00Z"));
        SigningKeys first = SigningKeys.load(dataDir, null);
        String token = new TokenIssuer(first, SETTINGS, clock).issue("alice", List.of()).token();
        String stored = Files.readString(dataDir.resolve(SigningKeys.DEFAULT_FILE));

        SigningKeys second = SigningKeys.load(dataDir, null);

        assertThat(second.keyId()).isEqualTo(first.keyId());
        assertThat(Files.readString(dataDir.resolve(SigningKeys.DEFAULT_FILE))).isEqualTo(stored);
        assertThat(new TokenVerifier(second, SETTINGS, clock).verify(token).subject()).isEqualTo("alice");
    }

    @Test
    void startsRacingForTheFirstKeyAllEndWithTheSameOne() throws Exception {
        List<Callable<String>> loads = Collections.nCopies(4, () -> SigningKeys.load(dataDir, null).keyId());
        ExecutorService pool = Executors.newFixedThreadPool(loads.size());
        try {
            Set<String> keyIds = new HashSet<>();
            for (Future<String> keyId : pool.invokeAll(loads)) {
                keyIds.add(keyId.get());
            }
            assertThat(keyIds).containsExactly(SigningKeys.load(dataDir, null).keyId());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void publishesOnlyThePublicKey() throws Exception {
        SigningKeys keys = SigningKeys.load(dataDir, null);

        assertThat(keys.publicJwkSet().getKeys()).singleElement().satisfies(key -> {
            assertThat(key.isPrivate()).isFalse();
            assertThat(key.getKeyID()).isEqualTo(keys.keyId());
        });
        assertThat(keys.publicJwkSet().toString()).doesNotContain("\"d\"");
    }

    @Test
    void usesAConfiguredKeyFile(@TempDir Path elsewhere) throws Exception {
        ECKey shared = new ECKeyGenerator(Curve.P_256).keyID("replicas-2025").generate();
        Path file = Files.writeString(elsewhere.resolve("shared.jwk"), shared.toJSONString());

        SigningKeys one = SigningKeys.load(dataDir, file);
        SigningKeys other = SigningKeys.load(elsewhere.resolve("other-data"), file);

        assertThat(one.keyId()).isEqualTo("replicas-2025");
        assertThat(one.publicJwkSet().getKeys()).containsExactly(shared.toPublicJWK());
        assertThat(dataDir.resolve(SigningKeys.DEFAULT_FILE)).doesNotExist();
        TestClock clock = new TestClock(Instant.parse("2025-06-01T12:00:00Z"));
        String token = new TokenIssuer(one, SETTINGS, clock).issue("alice", List.of()).token();
        assertThat(new TokenVerifier(other, SETTINGS, clock).verify(token).subject()).as("a replica accepts it").isEqualTo("alice");
    }

    @Test
    void givesAConfiguredKeyWithoutIdItsThumbprint(@TempDir Path elsewhere) throws Exception {
        ECKey noId = new ECKeyGenerator(Curve.P_256).generate();
        Path file = Files.writeString(elsewhere.resolve("key.jwk"), noId.toJSONString());

        assertThat(SigningKeys.load(dataDir, file).keyId()).isEqualTo(noId.computeThumbprint().toString());
    }

    @Test
    void aConfiguredFileMustExist() {
        assertThatThrownBy(() -> SigningKeys.load(dataDir, dataDir.resolve("missing.jwk"))).isInstanceOf(NoSuchFileException.class);
        assertThat(dataDir.resolve("missing.jwk")).doesNotExist();
    }

    @Test
    void refusesKeysThatCannotSignES256(@TempDir Path elsewhere) throws Exception {
        ECKey good = new ECKeyGenerator(Curve.P_256).generate();
        ECKey otherKey = new ECKeyGenerator(Curve.P_256).generate();
        String[] bad = {
                "not json",
                new RSAKeyGenerator(2048).generate().toJSONString(),
                new ECKeyGenerator(Curve.P_384).generate().toJSONString(),
                good.toPublicJWK().toJSONString(),
                new ECKey.Builder(good).algorithm(JWSAlgorithm.ES384).build().toJSONString(),
                new ECKey.Builder(good).keyUse(KeyUse.ENCRYPTION).build().toJSONString(),
                new ECKey.Builder(good.getCurve(), good.getX(), good.getY()).d(otherKey.getD()).build().toJSONString()};
        for (String json : bad) {
            Path file = Files.writeString(elsewhere.resolve("key.jwk"), json, StandardCharsets.UTF_8);
            assertThatThrownBy(() -> SigningKeys.load(dataDir, file)).as(json).isInstanceOf(IllegalStateException.class);
        }
    }
}
