package io.berth.ops;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

import io.berth.hub.storage.BlobStore;
import io.berth.hub.storage.FilesystemBlobStore;
import io.berth.hub.storage.StorageReserve;

/**
 * Actuator's {@code blobStorage} health: the Hub's blob store takes writes. It is DOWN, with the reason, when the
 * registry refuses pushes because a storage directory (blobs, uploads, the database) has less than
 * {@code berth.hub.storage.reserve} free, when writing a few kilobytes into the blob or upload directory fails (a full
 * disk, a read-only remount, a full inode table), and when the store's last real write failed and none has succeeded
 * since. Only where the Hub runs.
 */
@Component("blobStorage")
@OnHub
class BlobStorageHealthIndicator implements HealthIndicator {

    /** A probe's size: an empty file can be created on a disk with no room for a single block. */
    private static final int PROBE_BYTES = 4096;

    private final BlobStore store;
    private final StorageReserve reserve;

    BlobStorageHealthIndicator(BlobStore store, StorageReserve reserve) {
        this.store = store;
        this.reserve = reserve;
    }

    @Override
    public Health health() {
        if (!(store instanceof FilesystemBlobStore filesystem)) {
            return Health.unknown().withDetail("type", store.getClass().getSimpleName()).build();
        }
        List<String> problems = new ArrayList<>();
        for (StorageReserve.Space space : reserve.spaces()) {
            if (space.free() < reserve.reserve()) {
                problems.add(space.path() + " has " + space.free() + " bytes free, less than the reserve of "
                        + reserve.reserve() + ": pushes are refused");
            }
        }
        Map<String, Object> blobs = probe(filesystem.blobsDirectory(), problems);
        Map<String, Object> uploads = probe(filesystem.uploadsDirectory(), problems);
        store.lastWriteFailure().ifPresent(failure -> problems.add("the last write failed (" + failure.operation()
                + " at " + failure.at() + "): " + failure.error()));
        Health.Builder health = problems.isEmpty() ? Health.up()
                : Health.down().withDetail("reason", String.join("; ", problems));
        return health.withDetail("type", "filesystem")
                .withDetail("reserve", reserve.reserve())
                .withDetail("blobs", blobs)
                .withDetail("uploads", uploads)
                .build();
    }

    private static Map<String, Object> probe(Path directory, List<String> problems) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("path", directory.toString());
        details.put("free", directory.toFile().getUsableSpace());
        // Writable as the permissions say is not enough (a read-only remount, a full disk or inode table): try it.
        Path probe = null;
        try {
            probe = Files.createTempFile(directory, ".health-", ".tmp");
            try (FileChannel channel = FileChannel.open(probe, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.allocate(PROBE_BYTES);
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
            }
            details.put("writable", true);
        } catch (IOException | RuntimeException e) {
            details.put("writable", false);
            problems.add("cannot write in " + directory + ": " + e);
        } finally {
            deleteQuietly(probe);
        }
        return details;
    }

    private static void deleteQuietly(Path probe) {
        if (probe != null) {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException e) {
                // the next probe tries again; a leftover probe file is a few kilobytes
            }
        }
    }
}
