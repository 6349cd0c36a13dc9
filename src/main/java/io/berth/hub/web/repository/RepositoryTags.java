package io.berth.hub.web.repository;

import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

import io.berth.hub.HubProperties;
import io.berth.hub.access.Caller;
import io.berth.hub.access.HubException;
import io.berth.hub.access.RepositoryRole;
import io.berth.hub.audit.AuditAction;
import io.berth.hub.audit.AuditLog;
import io.berth.hub.web.CallerChecks;

/** The tags of a repository: listed with what they point at, and deleted. */
@Service
class RepositoryTags {

    private final RepositoryLookup lookup;
    private final ManifestSummaries summaries;
    private final JdbcTemplate jdbc;
    private final HubProperties hub;
    private final AuditLog audit;

    RepositoryTags(RepositoryLookup lookup, ManifestSummaries summaries, JdbcTemplate jdbc, HubProperties hub,
                   AuditLog audit) {
        this.lookup = lookup;
        this.summaries = summaries;
        this.jdbc = jdbc;
        this.hub = hub;
        this.audit = audit;
    }

    private record TagRow(String name, String digest, String mediaType, OffsetDateTime pushedAt) {
    }

    /** Every tag, by name (in code point order, whatever the database's collation). */
    List<Tag> list(Caller caller, String repository) {
        long repositoryId = lookup.visible(caller, repository).repository().getId();
        List<TagRow> rows = jdbc.query("SELECT t.name, m.digest, m.media_type, t.updated_at FROM tag t"
                        + " JOIN manifest m ON m.id = t.manifest_id WHERE t.repository_id = ?",
                (row, number) -> new TagRow(row.getString(1), row.getString(2), row.getString(3),
                        row.getObject(4, OffsetDateTime.class)),
                repositoryId);
        return rows.stream()
                .sorted(Comparator.comparing(TagRow::name))
                .map(row -> {
                    ManifestSummary summary = summaries.of(repositoryId, row.digest());
                    return new Tag(row.name(), row.digest(), row.mediaType(), summary.size(), summary.platforms(),
                            row.pushedAt().toInstant());
                })
                .toList();
    }

    /**
     * Deletes a tag, leaving the manifest it pointed at (as the registry's tag delete does); needs the role that may
     * delete, which is {@code admin}.
     */
    void delete(Caller caller, String clientAddress, String repository, String tag) {
        RepositoryLookup.Seen seen = lookup.visible(caller, repository);
        CallerChecks.requireDeleteScope(caller);
        seen.requireRole(caller, RepositoryRole.ADMIN, "deleting tags of");
        if (!hub.deleteEnabled()) {
            throw HubException.forbidden("deleting is switched off on this Hub (berth.hub.delete-enabled)");
        }
        int deleted = jdbc.update("DELETE FROM tag WHERE repository_id = ? AND name = ?",
                seen.repository().getId(), tag);
        if (deleted == 0) {
            throw HubException.notFound("tag not found: " + tag);
        }
        audit.record(caller.username(), clientAddress, AuditAction.DELETE, repository + ":" + tag, true, null);
    }
}
