package io.berth.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

import io.berth.hub.storage.BlobStore;
import io.berth.hub.storage.FilesystemBlobStore;

/**
 * Actuator's {@code blobStorage} health: the Hub's blob store takes writes. For the filesystem store, both of its
 * directories (finished blobs and uploads) accept a new file and have at least {@code berth.ops.blob-storage-min-free}
 * free; a push needs both. Only where the Hub runs.
 */
@Component("blobStorage")
@OnHub
class BlobStorageHealthIndicator implements HealthIndicator {

    private final BlobStore store;
    private final long minFree;

    BlobStorageHealthIndicator(BlobStore store, OpsProperties ops) {
        this.store = store;
        this.minFree = ops.blobStorageMinFree().toBytes();
    }

    @Override
    public Health health() {
        if (!(store instanceof FilesystemBlobStore filesystem)) {
            return Health.unknown().withDetail("type", store.getClass().getSimpleName()).build();
        }
        List<String> problems = new ArrayList<>();
        Map<String, Object> blobs = check(filesystem.blobsDirectory(), problems);
        Map<String, Object> uploads = check(filesystem.uploadsDirectory(), problems);
        Health.Builder health = problems.isEmpty() ? Health.up()
                : Health.down().withDetail("reason", String.join("; ", problems));
        return health.withDetail("type", "filesystem")
                .withDetail("minFree", minFree)
                .withDetail("blobs", blobs)
                .withDetail("uploads", uploads)
                .build();
    }

    private Map<String, Object> check(Path directory, List<String> problems) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("path", directory.toString());
        try {
            long free = Files.getFileStore(directory).getUsableSpace();
            details.put("free", free);
            if (free < minFree) {
                problems.add(directory + " has " + free + " bytes free, less than " + minFree);
            }
        } catch (IOException e) {
            problems.add("cannot read the free space of " + directory + ": " + e.getMessage());
        }
        // Writable as the permissions say is not enough (a read-only remount, a full inode table): try it.
        try {
            Path probe = Files.createTempFile(directory, ".health-", ".tmp");
            Files.delete(probe);
            details.put("writable", true);
        } catch (IOException | RuntimeException e) {
            details.put("writable", false);
            problems.add("cannot write in " + directory + ": " + e);
        }
        return details;
    }
}
