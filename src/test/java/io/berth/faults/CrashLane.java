package io.berth.faults;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;

import io.berth.support.BerthProcess;

/**
 * One data dir that Berth is killed on, again and again: start, check what the previous kill left, put it under
 * load, kill it with SIGKILL once a random number of requests were answered. Lanes on different data dirs run side by
 * side, so that one Berth starts while another works.
 */
final class CrashLane {

    private final QuickStart launcher;
    private final Path dataDir;
    private final String[] arguments;
    private final Random random;
    private final Ledger ledger = new Ledger();
    private final Map<Ledger.Kind, Integer> killsDuring = new EnumMap<>(Ledger.Kind.class);
    private int kills;
    private long nanosStarting;

    CrashLane(QuickStart launcher, Path dataDir, long seed, String... arguments) {
        this.launcher = launcher;
        this.dataDir = dataDir;
        this.random = new Random(seed);
        this.arguments = arguments;
    }

    /** Kills Berth {@code count} times, checking after each restart. */
    void kill(int count) throws IOException, InterruptedException {
        for (int round = 1; round <= count; round++) {
            try (BerthProcess berth = start()) {
                if (round > 1) {
                    new CrashChecks(berth, ledger, random, round - 1).all();
                }
                CrashWorkload workload = new CrashWorkload(berth, ledger, random.nextLong(), round);
                workload.start();
                ledger.awaitAcknowledged(1 + random.nextInt(40), Duration.ofMinutes(2));
                berth.killHard();
                workload.awaitEnd();
                kills++;
                ledger.killed().keySet().forEach(kind -> killsDuring.merge(kind, 1, Integer::sum));
            }
        }
    }

    /** Starts Berth once more and checks what the last kill left; the caller gets it running. */
    BerthProcess restartAndCheck() throws IOException {
        BerthProcess berth = start();
        try {
            new CrashChecks(berth, ledger, random, kills).all();
            return berth;
        } catch (IOException | RuntimeException | Error e) {
            berth.close();
            throw e;
        }
    }

    private BerthProcess start() {
        long before = System.nanoTime();
        BerthProcess berth = launcher.start(dataDir, arguments);
        nanosStarting += System.nanoTime() - before;
        return berth;
    }

    /** Time spent waiting for Berth to be ready, over all starts. */
    double secondsStarting() {
        return nanosStarting / 1e9;
    }

    Ledger ledger() {
        return ledger;
    }

    Path dataDir() {
        return dataDir;
    }

    int kills() {
        return kills;
    }

    /** In how many kills a request of each kind was in flight. */
    Map<Ledger.Kind, Integer> killsDuring() {
        return killsDuring;
    }
}
