package io.berth.hub.web.repository;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Who starred which repository: rows of the {@code star} table. Starring twice, or unstarring what was not starred,
 * changes nothing. Rows go with their account or repository (ON DELETE CASCADE).
 */
@Component
class Stars {

    private final JdbcTemplate jdbc;

    Stars(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void add(long accountId, long repositoryId, Instant now) {
        if (starred(accountId, repositoryId)) {
            return;
        }
        try {
            jdbc.update("INSERT INTO star (account_id, repository_id, created_at) VALUES (?, ?, ?)",
                    accountId, repositoryId, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
        } catch (DuplicateKeyException e) {
            // A second request of the same caller starred it in between: starred either way.
        }
    }

    void remove(long accountId, long repositoryId) {
        jdbc.update("DELETE FROM star WHERE account_id = ? AND repository_id = ?", accountId, repositoryId);
    }

    private boolean starred(long accountId, long repositoryId) {
        Integer count = jdbc.queryForObject("SELECT COUNT(*) FROM star WHERE account_id = ? AND repository_id = ?",
                Integer.class, accountId, repositoryId);
        return count != null && count > 0;
    }
}
