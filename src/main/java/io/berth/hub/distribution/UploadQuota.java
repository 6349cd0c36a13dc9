package io.berth.hub.distribution;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;

import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

import io.berth.common.error.BerthException;
import io.berth.common.error.ErrorKind;
import io.berth.hub.metadata.UploadSessions;
import io.berth.hub.storage.BlobStore;
import io.berth.hub.storage.StorageReserve;

/**
 * What an upload may take: room above the storage reserve for every body, and per account at most
 * {@code berth.hub.uploads.max-sessions-per-account} open uploads holding at most
 * {@code berth.hub.uploads.max-bytes-per-account} together, so that one account's abandoned uploads cannot fill the
 * disk. Bytes in flight are what the upload files hold, read from the store when a body starts and again every few
 * megabytes while it streams: uploads of one account running side by side (on any replica) see each other's bytes.
 */
@Component
class UploadQuota {

    /** How often a streaming body re-reads free space and the account's bytes in flight. */
    private static final long CHECK_INTERVAL = 8L * 1024 * 1024;

    private final UploadSessions sessions;
    private final BlobStore store;
    private final StorageReserve reserve;
    private final int maxSessions;
    private final long maxBytes;

    UploadQuota(UploadSessions sessions, BlobStore store, StorageReserve reserve, UploadProperties properties) {
        this.sessions = sessions;
        this.store = store;
        this.reserve = reserve;
        this.maxSessions = properties.maxSessionsPerAccount();
        this.maxBytes = properties.maxBytesPerAccount().toBytes();
    }

    /** The storage reserve is not reached: a new upload or manifest may start. */
    void requireRoom() {
        reserve.requireRoomFor(0);
    }

    /** The uploads {@code account} has open. */
    List<String> openUploads(String account) {
        return account == null ? List.of() : sessions.findIdsByAccount(account);
    }

    /** Whether these are as many uploads as one account may have open. */
    boolean atSessionCap(List<String> open) {
        return open.size() >= maxSessions;
    }

    BerthException tooManySessions(String account, Duration idleExpiry) {
        return new BerthException(ErrorKind.TOO_MANY_REQUESTS, account + " has " + maxSessions
                + " uploads open, as many as one account may; finish or cancel some (DELETE on an upload's URL), or"
                + " wait until idle ones expire (after " + readable(idleExpiry) + " without data)");
    }

    /**
     * Admits a body of {@code expected} bytes (null when unknown) into an upload of {@code account} that holds
     * {@code uploadSize} bytes, and returns it wrapped so that it stops once the disk reaches its reserve or the
     * account its cap.
     *
     * @throws BerthException {@link ErrorKind#INSUFFICIENT_STORAGE} when the disk is at its reserve,
     *                        {@link ErrorKind#TOO_LARGE} when this upload alone would exceed the account's cap,
     *                        {@link ErrorKind#TOO_MANY_REQUESTS} when it would with the account's other uploads
     */
    InputStream admit(String account, long uploadSize, Long expected, InputStream body) {
        long incoming = expected == null ? 0 : expected;
        reserve.requireRoomFor(incoming);
        List<String> open = openUploads(account);
        if (account != null) {
            requireWithinCap(account, open, uploadSize + incoming, incoming);
        }
        return new CheckedBody(body, CHECK_INTERVAL, read -> {
            if (reserve.headroom() < 0) {
                throw StorageReserve.full();
            }
            if (account != null) {
                // The files hold what was read so far (but for the store's last buffer); a body may thus pass the cap by
                // less than one interval before it is stopped, never be refused below it.
                requireWithinCap(account, open, uploadSize + read, 0);
            }
        });
    }

    private void requireWithinCap(String account, List<String> open, long thisUpload, long pending) {
        if (thisUpload > maxBytes) {
            throw new BerthException(ErrorKind.TOO_LARGE, "the upload would hold more than " + DataSize.ofBytes(maxBytes)
                    .toMegabytes() + " MB, the most one account's uploads may hold together");
        }
        if (bytesInFlight(open) + pending > maxBytes) {
            throw new BerthException(ErrorKind.TOO_MANY_REQUESTS, account + "'s uploads in progress would hold more than "
                    + DataSize.ofBytes(maxBytes).toMegabytes() + " MB, the most one account's may hold together; finish"
                    + " or cancel some, or wait until idle ones expire");
        }
    }

    private static String readable(Duration duration) {
        if (duration.toMinutes() == 0) {
            return duration.toSeconds() + " s";
        }
        return duration.toHours() == 0 ? duration.toMinutes() + " min" : duration.toHours() + " h";
    }

    private long bytesInFlight(List<String> uploadIds) {
        long total = 0;
        try {
            for (String id : uploadIds) {
                total += store.uploadSize(id).orElse(0L);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return total;
    }
}
