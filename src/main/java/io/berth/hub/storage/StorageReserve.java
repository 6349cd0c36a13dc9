package io.berth.hub.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.berth.common.BerthProperties;
import io.berth.common.error.BerthException;
import io.berth.common.error.ErrorKind;

/**
 * The free space that pushes may not take. Blobs, uploads and the embedded database share the data dir's disk; if
 * pushes filled it, the database would fail its next write and close itself, and with it sign-ins, token revocations,
 * deletes and the garbage collection that could free space. So uploads and manifest pushes are refused while less
 * than {@code berth.hub.storage.reserve} is free, and everything else keeps the reserve to work in.
 *
 * <p>Free space is read on every check (a statfs, microseconds): it changes with every push and every delete, and a
 * disk that was freed lets pushes in again at once.
 */
@Component
public class StorageReserve {

    private static final Logger log = LoggerFactory.getLogger(StorageReserve.class);
    private static final Duration WARN_INTERVAL = Duration.ofMinutes(1);

    private final List<Path> paths;
    private final long reserve;
    private final AtomicReference<Instant> lastWarning = new AtomicReference<>(Instant.EPOCH);

    StorageReserve(FilesystemBlobStore store, BerthProperties berth, StorageProperties properties) {
        this.paths = List.of(store.blobsDirectory(), store.uploadsDirectory(), berth.dataDir().resolve("db"));
        this.reserve = properties.reserve().toBytes();
    }

    /** The reserve in bytes. */
    public long reserve() {
        return reserve;
    }

    /** The free space of each storage directory. */
    public List<Space> spaces() {
        List<Space> spaces = new ArrayList<>();
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                spaces.add(new Space(path, path.toFile().getUsableSpace()));
            }
        }
        return spaces;
    }

    /** Bytes that may still be written before the tightest of the storage directories reaches the reserve. */
    public long headroom() {
        long headroom = Long.MAX_VALUE;
        for (Space space : spaces()) {
            headroom = Math.min(headroom, space.free() - reserve);
        }
        return headroom;
    }

    /**
     * Refuses a write of {@code incoming} bytes (0 when not known yet) that would leave less than the reserve free.
     *
     * @throws BerthException {@link ErrorKind#INSUFFICIENT_STORAGE}, worded for the client
     */
    public void requireRoomFor(long incoming) {
        long headroom = headroom();
        if (headroom < incoming || headroom < 0) {
            warn(headroom, incoming);
            throw full();
        }
    }

    /** The refusal a write that found the disk full mid-way gets too. */
    public static BerthException full() {
        return new BerthException(ErrorKind.INSUFFICIENT_STORAGE, "the registry's storage is full: pushes are refused"
                + " until space is freed (delete images, then run garbage collection); pulls still work");
    }

    private void warn(long headroom, long incoming) {
        Instant now = Instant.now();
        Instant last = lastWarning.get();
        if (now.isAfter(last.plus(WARN_INTERVAL)) && lastWarning.compareAndSet(last, now)) {
            log.warn("Refusing pushes: {} free on the tightest storage directory ({}), the reserve is {} bytes{}",
                    headroom + reserve, spaces(), reserve, incoming > 0 ? " and " + incoming + " bytes were coming" : "");
        }
    }

    /** A storage directory and the bytes free on its file system. */
    public record Space(Path path, long free) {
    }
}
