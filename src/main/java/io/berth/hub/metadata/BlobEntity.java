package io.berth.hub.metadata;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A blob whose verified bytes are in the blob store, keyed by its digest string. */
@Entity
@Table(name = "blob")
public class BlobEntity extends NewUntilSaved<String> {

    @Id
    private String digest;

    @Column(nullable = false)
    private long size;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

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
}
