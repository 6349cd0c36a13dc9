package io.berth.hub.metadata;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A manifest or index stored in one repository, with its exact bytes. */
@Entity
@Table(name = "manifest")
public class ManifestEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "repository_id", nullable = false)
    private long repositoryId;

    @Column(nullable = false)
    private String digest;

    @Column(name = "media_type", nullable = false)
    private String mediaType;

    @Column(name = "artifact_type")
    private String artifactType;

    @Column(nullable = false)
    private long size;

    @Column(nullable = false)
    private byte[] content;

    @Column(name = "subject_digest")
    private String subjectDigest;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected ManifestEntity() {
    }

    public ManifestEntity(long repositoryId, String digest, String mediaType, String artifactType, byte[] content,
            String subjectDigest, Instant createdAt) {
        this.repositoryId = repositoryId;
        this.digest = digest;
        this.mediaType = mediaType;
        this.artifactType = artifactType;
        this.size = content.length;
        this.content = content;
        this.subjectDigest = subjectDigest;
        this.createdAt = createdAt;
    }

    public Long getId() {
        return id;
    }

    public long getRepositoryId() {
        return repositoryId;
    }

    public String getDigest() {
        return digest;
    }

    public String getMediaType() {
        return mediaType;
    }

    public String getArtifactType() {
        return artifactType;
    }

    public long getSize() {
        return size;
    }

    public byte[] getContent() {
        return content;
    }

    public String getSubjectDigest() {
        return subjectDigest;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }
}
