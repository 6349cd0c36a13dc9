package io.berth.hub.web.repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import io.berth.hub.access.VisibleRepositories;
import io.berth.hub.metadata.Visibility;

/**
 * Repository listings in SQL: what the caller may not see is filtered by the query itself, so that counts and pages
 * hold only what the caller sees. Star counts are counted from the star rows; pull counts are the registry's.
 */
@Component
class RepositorySearch {

    /** Anonymous callers have starred nothing; no account has this id. */
    private static final long NOBODY = -1;

    private static final String SELECT = "SELECT r.name, r.namespace, r.visibility, r.description, r.pull_count,"
            + " r.created_at,"
            + " (SELECT COUNT(*) FROM star s WHERE s.repository_id = r.id) AS star_count,"
            + " COALESCE((SELECT MAX(t.updated_at) FROM tag t WHERE t.repository_id = r.id), r.created_at) AS updated_at,"
            + " (SELECT COUNT(*) FROM star s WHERE s.repository_id = r.id AND s.account_id = ?) AS starred"
            + " FROM repository r";

    private final JdbcTemplate jdbc;

    RepositorySearch(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * @param viewerId the caller's account, for {@code starred}; null for an anonymous caller
     */
    RepositoryPage search(RepositoryQuery query, VisibleRepositories visible, Long viewerId) {
        List<Object> args = new ArrayList<>();
        String where = where(query, visible, args);
        Long count = jdbc.queryForObject("SELECT COUNT(*) FROM repository r" + where, Long.class, args.toArray());
        List<Object> pageArgs = new ArrayList<>();
        pageArgs.add(viewerId == null ? NOBODY : viewerId);
        pageArgs.addAll(args);
        List<RepositorySummary> results = jdbc.query("SELECT * FROM (" + SELECT + where + ") x ORDER BY "
                + orderBy(query.order()) + " OFFSET " + query.offset() + " ROWS FETCH NEXT " + query.size() + " ROWS ONLY",
                (row, number) -> summary(row, viewerId != null), pageArgs.toArray());
        return new RepositoryPage(count == null ? 0 : count, query.page(), query.size(), results);
    }

    /** One repository, whoever may see it: the caller's right to was checked before. */
    Optional<RepositorySummary> one(String name, Long viewerId) {
        return jdbc.query(SELECT + " WHERE r.name = ?", (row, number) -> summary(row, viewerId != null),
                viewerId == null ? NOBODY : viewerId, name).stream().findFirst();
    }

    private static String where(RepositoryQuery query, VisibleRepositories visible, List<Object> args) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        if (!visible.all()) {
            where.append(" AND (r.visibility = 'PUBLIC'");
            if (!visible.namespaces().isEmpty()) {
                where.append(" OR r.namespace IN (")
                        .append(String.join(", ", Collections.nCopies(visible.namespaces().size(), "?"))).append(")");
                args.addAll(visible.namespaces());
            }
            where.append(")");
        }
        if (query.namespace() != null) {
            where.append(" AND r.namespace = ?");
            args.add(query.namespace());
        }
        if (query.text() != null) {
            where.append(" AND (LOWER(r.name) LIKE ? ESCAPE '\\' OR LOWER(r.description) LIKE ? ESCAPE '\\')");
            String pattern = "%" + likeEscaped(query.text()) + "%";
            args.add(pattern);
            args.add(pattern);
        }
        return where.toString();
    }

    private static String orderBy(RepositoryQuery.Order order) {
        return switch (order) {
            case NAME -> "x.name";
            case PULLS -> "x.pull_count DESC, x.name";
            case STARS -> "x.star_count DESC, x.name";
            case UPDATED -> "x.updated_at DESC, x.name";
        };
    }

    /** The text matched literally: {@code %} and {@code _} in a search are characters, not wildcards. */
    private static String likeEscaped(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static RepositorySummary summary(ResultSet row, boolean signedIn) throws SQLException {
        return new RepositorySummary(row.getString("name"), row.getString("namespace"),
                Visibility.valueOf(row.getString("visibility")).wireName(), row.getString("description"),
                row.getLong("star_count"), row.getLong("pull_count"),
                row.getObject("created_at", OffsetDateTime.class).toInstant(),
                row.getObject("updated_at", OffsetDateTime.class).toInstant(),
                signedIn ? row.getLong("starred") > 0 : null);
    }
}
