package io.berth.hub.metadata;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A blob upload in progress; its bytes are in the blob store's upload area under the same id. How recently it was
 * used is the upload file's modification time: chunks append to the file without touching this row.
 */
@Entity
@Table(name = "upload_session")
public class UploadSessionEntity extends NewUntilSaved<String> {

    @Id
    private String id;

    @Column(name = "repository_id", nullable = false)
    private long repositoryId;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    /** Who opened it, for the per-account upload caps; null for sessions from before there were caps. */
    @Column
    private String account;

    protected UploadSessionEntity() {
    }

    public UploadSessionEntity(String id, long repositoryId, String account, Instant now) {
        this.id = id;
        this.repositoryId = repositoryId;
        this.account = account;
        this.createdAt = now;
    }

    @Override
    public String getId() {
        return id;
    }

    public long getRepositoryId() {
        return repositoryId;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public String getAccount() {
        return account;
    }
}
