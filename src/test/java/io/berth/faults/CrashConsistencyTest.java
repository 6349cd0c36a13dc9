package io.berth.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.berth.support.BerthProcess;
import io.berth.support.RegistryClient;
import io.berth.support.TestAccounts;

/**
 * Berth killed with SIGKILL at random points of its work, again and again, each time restarted on the same data dir and
 * checked ({@link CrashChecks}): pushes of blobs in one request and in chunks, manifest puts, deletes, garbage
 * collections and token revocations run side by side when the kill comes. At the end the database and the blob files
 * must agree exactly, and the data dir must be its owner's alone.
 *
 * <p>{@code -Dberth.faults.kills=N} (default 50) sets the number of kills, shared by {@code -Dberth.faults.lanes}
 * (default 2) data dirs that run side by side; {@code -Dberth.faults.seed} replays a run's random choices (each run
 * prints its seed).
 */
class CrashConsistencyTest {

    private static final int KILLS = Integer.getInteger("berth.faults.kills", 50);
    private static final int LANES = Integer.getInteger("berth.faults.lanes", 2);

    /** A Berth with only what the checks need: no Engine, collections when the workload asks, a short grace period. */
    private static final String[] ARGUMENTS = {
        "--berth.engine.enabled=false",
        "--berth.hub.gc.enabled=false",
        // Blobs of deleted images, and uploads whose manifest is late, are collected a second after their last use.
        "--berth.hub.gc.grace-period=1s",
        // Revoked tokens are tried after each restart, as failed sign-ins; throttling them is not what this tests.
        "--berth.hub.login-throttle.enabled=false",
        "--berth.hub.storage.reserve=64MB",
        "--springdoc.api-docs.enabled=false",
    };

    @TempDir
    Path temp;

    @Test
    // A guard against a hang only (each start, each wait has its own deadline): a busy machine makes this run long.
    @Timeout(value = 120, unit = TimeUnit.MINUTES)
    void acknowledgedWritesSurviveSigkillAtAnyPointAndNothingElseIsHalfVisible() throws Exception {
        long started = System.nanoTime();
        long seed = Long.getLong("berth.faults.seed", System.nanoTime());
        QuickStart launcher = QuickStart.prepare(temp.resolve("quick-start"));
        long prepared = System.nanoTime();

        List<CrashLane> lanes = new ArrayList<>();
        for (int i = 0; i < LANES; i++) {
            Path dataDir = temp.resolve("lane-" + i).resolve("data");
            openToEveryone(dataDir);
            lanes.add(new CrashLane(launcher, dataDir, seed + i, ARGUMENTS));
        }
        ExecutorService executor = Executors.newFixedThreadPool(LANES);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < LANES; i++) {
                CrashLane lane = lanes.get(i);
                int kills = KILLS / LANES + (i < KILLS % LANES ? 1 : 0);
                runs.add(executor.submit(() -> {
                    lane.kill(kills);
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get();
            }
        } finally {
            executor.shutdownNow();
        }

        int kills = lanes.stream().mapToInt(CrashLane::kills).sum();
        Map<Ledger.Kind, Integer> during = new EnumMap<>(Ledger.Kind.class);
        Map<Ledger.Kind, Integer> acknowledged = new EnumMap<>(Ledger.Kind.class);
        for (CrashLane lane : lanes) {
            lane.killsDuring().forEach((kind, count) -> during.merge(kind, count, Integer::sum));
            lane.ledger().acknowledged().forEach((kind, count) -> acknowledged.merge(kind, count, Integer::sum));
        }
        double startSeconds = lanes.stream().mapToDouble(CrashLane::secondsStarting).sum();
        System.out.printf("crash consistency: %d kills in %d lanes (seed %d) in %d s, class data sharing %s (prepared in"
                        + " %d s), %.1f s per start on average; kills with a request in flight, by kind: %s;"
                        + " acknowledged requests: %s%n",
                kills, LANES, seed, Duration.ofNanos(System.nanoTime() - started).toSeconds(),
                launcher.sharesClasses() ? "on" : "off", Duration.ofNanos(prepared - started).toSeconds(),
                startSeconds / kills, during, acknowledged);
        for (CrashLane lane : lanes) {
            try (BerthProcess berth = lane.restartAndCheck()) {
                // Collect once more, past the grace period of everything the workload left: it finishes what kills
                // interrupted and takes the orphan files.
                RegistryClient.expect(RegistryClient.unauthenticated(berth.baseUri()).send("POST", "/api/v1/admin/gc",
                        null, "Authorization", RegistryClient.basic(TestAccounts.ADMIN, TestAccounts.ADMIN_PASSWORD)), 200);
                berth.stop();
            }
            DataDirAudit.assertDatabaseAgreesWithFiles(lane.dataDir());
            DataDirAudit.assertOwnerOnly(lane.dataDir());
            assertThat(lane.ledger().unexpectedAnswers()).as("answers the workload did not expect").isEmpty();
        }

        assertThat(kills).isEqualTo(KILLS);
    }

    /** A data dir as older versions made it, open to every account: Berth must close it at its first start. */
    private static void openToEveryone(Path dataDir) throws java.io.IOException {
        Files.createDirectories(dataDir.resolve("blobs"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(dataDir.resolve("blobs"), PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
