package io.berth.hub.storage;

import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The store's last failed write, until a write succeeds again: what the health endpoint reports as the reason the store
 * cannot take writes (a full disk, a read-only remount, an I/O error), seen on real traffic rather than on a probe.
 */
final class WriteFailures {

    /** A write to the store. */
    @FunctionalInterface
    interface Write {
        void run() throws IOException;
    }

    private final AtomicReference<BlobStore.WriteFailure> last = new AtomicReference<>();

    void watch(String operation, Write write) throws IOException {
        try {
            write.run();
        } catch (IOException e) {
            last.set(new BlobStore.WriteFailure(Instant.now(), operation, e.toString()));
            throw e;
        }
        if (last.get() != null) {
            last.set(null);
        }
    }

    Optional<BlobStore.WriteFailure> last() {
        return Optional.ofNullable(last.get());
    }
}
