package io.berth.hub.access.account;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "account")
public class AccountEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, unique = true)
    private String username;

    @Column(nullable = false)
    private String email;

    @Column(name = "password_hash", nullable = false)
    private String passwordHash;

    @Column(nullable = false)
    private boolean administrator;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "credentials_version", nullable = false)
    private int credentialsVersion;

    protected AccountEntity() {
    }

    AccountEntity(String username, String email, String passwordHash, boolean administrator, Instant createdAt) {
        this.username = username;
        this.email = email;
        this.passwordHash = passwordHash;
        this.administrator = administrator;
        this.createdAt = createdAt;
    }

    public Long getId() {
        return id;
    }

    public String getUsername() {
        return username;
    }

    public String getEmail() {
        return email;
    }

    String getPasswordHash() {
        return passwordHash;
    }

    public boolean isAdministrator() {
        return administrator;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    /** Moves on with every password change; what was opened with an older version is over (see V5). */
    public int getCredentialsVersion() {
        return credentialsVersion;
    }

    void setEmail(String email) {
        this.email = email;
    }

    /** A new password, and with it a new credentials version. */
    void changePassword(String passwordHash) {
        this.passwordHash = passwordHash;
        this.credentialsVersion++;
    }

    void setAdministrator(boolean administrator) {
        this.administrator = administrator;
    }
}
