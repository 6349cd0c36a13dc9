package io.berth.hub.distribution;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock per upload id, held while a request streams into that upload, so that two requests for the same upload
 * never interleave their bytes while requests for different uploads never wait for each other. A lock exists only
 * while someone holds or waits for it.
 */
final class UploadLocks {

    private final Map<String, Entry> locks = new ConcurrentHashMap<>();

    /** Locks {@code uploadId}; close the returned handle to unlock. */
    Held lock(String uploadId) {
        Entry entry = locks.compute(uploadId, (id, existing) -> {
            Entry e = existing == null ? new Entry() : existing;
            e.users++;
            return e;
        });
        entry.lock.lock();
        return () -> {
            entry.lock.unlock();
            locks.computeIfPresent(uploadId, (id, e) -> --e.users == 0 ? null : e);
        };
    }

    /** Locks {@code uploadId} if nobody holds it: empty when a request is streaming into that upload right now. */
    Optional<Held> tryLock(String uploadId) {
        Entry entry = locks.compute(uploadId, (id, existing) -> {
            Entry e = existing == null ? new Entry() : existing;
            e.users++;
            return e;
        });
        if (!entry.lock.tryLock()) {
            locks.computeIfPresent(uploadId, (id, e) -> --e.users == 0 ? null : e);
            return Optional.empty();
        }
        return Optional.of(() -> {
            entry.lock.unlock();
            locks.computeIfPresent(uploadId, (id, e) -> --e.users == 0 ? null : e);
        });
    }

    /** An acquired lock. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }

    private static final class Entry {
        private final ReentrantLock lock = new ReentrantLock();
        private int users; // guarded by the map's compute
    }
}
