package io.berth.hub.metadata;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A blob whose verified bytes are in the blob store, keyed by its digest string. While {@code deleting}, garbage
 * collection is removing it: its bytes may be gone already, and no repository links it.
 */
@Entity
@Table(name = "blob")
public class BlobEntity extends NewUntilSaved<String> {

    @Id
    private String digest;

    @Column(nullable = false)
    private long size;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(nullable = false)
    private boolean deleting;

    protected BlobEntity() {
    }

    @Override
    public String getId() {
        return digest;
    }

    public BlobEntity(String digest, long size, Instant createdAt) {
        this.digest = digest;
        this.size = size;
        this.createdAt = createdAt;
    }

    public String getDigest() {
        return digest;
    }

    public long getSize() {
        return size;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    /** A row for a file no metadata names (left by a crash), born marked: collection removes it like any other. */
    public static BlobEntity orphan(String digest, long size, Instant lastModified) {
        BlobEntity blob = new BlobEntity(digest, size, lastModified);
        blob.deleting = true;
        return blob;
    }

    public boolean isDeleting() {
        return deleting;
    }

    /** Garbage collection is about to remove the bytes. */
    public void markDeleting() {
        this.deleting = true;
    }

    /** A commit of the same digest keeps the blob after all; it stores the bytes again if they went. */
    public void keep() {
        this.deleting = false;
    }
}
