package io.berth.hub.web.repository;

import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

import io.berth.hub.HubException;
import io.berth.hub.HubProperties;
import io.berth.hub.access.caller.Caller;
import io.berth.hub.access.caller.RepositoryRole;
import io.berth.hub.audit.AuditAction;
import io.berth.hub.audit.AuditLog;
import io.berth.hub.metadata.SortedNames;
import io.berth.hub.web.CallerChecks;

/** The tags of a repository: listed a page at a time with what they point at, and deleted. */
@Service
class RepositoryTags {

    private final RepositoryLookup lookup;
    private final ManifestSummaries summaries;
    private final SortedNames sortedNames;
    private final JdbcTemplate jdbc;
    private final HubProperties hub;
    private final AuditLog audit;

    RepositoryTags(RepositoryLookup lookup, ManifestSummaries summaries, SortedNames sortedNames, JdbcTemplate jdbc,
                   HubProperties hub, AuditLog audit) {
        this.lookup = lookup;
        this.summaries = summaries;
        this.sortedNames = sortedNames;
        this.jdbc = jdbc;
        this.hub = hub;
        this.audit = audit;
    }

    private record TagRow(String name, String digest, String mediaType, OffsetDateTime pushedAt) {
    }

    /**
     * One page of the tags, by name (in code point order, whatever the database's collation). A page costs the same
     * few queries however many tags the repository holds: the count, the page's names, their manifests' rows, and
     * what {@link ManifestSummaries} reads for their sizes and platforms.
     */
    TagPage list(Caller caller, String repository, Paging paging) {
        long repositoryId = lookup.visible(caller, repository).repository().getId();
        long count = jdbc.queryForObject("SELECT COUNT(*) FROM tag WHERE repository_id = ?", Long.class, repositoryId);
        List<String> names = paging.offset() < count
                ? sortedNames.tagPage(repositoryId, paging.offset(), paging.size()) : List.of();
        if (names.isEmpty()) {
            return new TagPage(count, paging.page(), paging.size(), List.of());
        }
        Map<String, TagRow> rows = new HashMap<>();
        jdbc.query("SELECT t.name, m.digest, m.media_type, t.updated_at FROM tag t"
                        + " JOIN manifest m ON m.id = t.manifest_id WHERE t.repository_id = ? AND t.name IN ("
                        + String.join(", ", Collections.nCopies(names.size(), "?")) + ")",
                row -> {
                    TagRow tag = new TagRow(row.getString(1), row.getString(2), row.getString(3),
                            row.getObject(4, OffsetDateTime.class));
                    rows.put(tag.name(), tag);
                },
                Stream.concat(Stream.of(repositoryId), names.stream()).toArray());
        Map<String, ManifestSummary> summaries = this.summaries.of(repositoryId,
                rows.values().stream().map(TagRow::digest).toList());
        List<Tag> tags = names.stream()
                .map(rows::get)
                .filter(Objects::nonNull) // deleted between the two queries
                .map(row -> {
                    ManifestSummary summary = summaries.get(row.digest());
                    return new Tag(row.name(), row.digest(), row.mediaType(), summary.size(), summary.platforms(),
                            row.pushedAt().toInstant());
                })
                .toList();
        return new TagPage(count, paging.page(), paging.size(), tags);
    }

    /**
     * The tag a pull command should name: none when the repository has {@code latest} (what docker pulls when no tag
     * is named) or no tags at all, else the one pushed last.
     */
    Optional<String> pullTag(Caller caller, String repository) {
        long repositoryId = lookup.visible(caller, repository).repository().getId();
        List<String> newest = jdbc.queryForList("SELECT name FROM tag WHERE repository_id = ?"
                + " ORDER BY CASE WHEN name = 'latest' THEN 0 ELSE 1 END, updated_at DESC, name"
                + " FETCH FIRST 1 ROWS ONLY", String.class, repositoryId);
        return newest.stream().filter(name -> !"latest".equals(name)).findFirst();
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
