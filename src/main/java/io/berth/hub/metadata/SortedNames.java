package io.berth.hub.metadata;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Paginated, lexically sorted listings of tags and repository names, as the Distribution API wants them.
 *
 * <p>"Lexical" means by code point, whatever the database's collation: PostgreSQL sorts by the locale of the
 * database unless told {@code COLLATE "C"}, while H2 compares code points already. The dialect difference stays
 * here, in the queries; the schema is the same everywhere.
 */
@Component
public class SortedNames {

    private final JdbcTemplate jdbc;
    private final String collate;

    public SortedNames(DataSource dataSource, JdbcTemplate jdbc) throws SQLException {
        this.jdbc = jdbc;
        try (Connection connection = dataSource.getConnection()) {
            String product = connection.getMetaData().getDatabaseProductName();
            this.collate = product.toLowerCase().contains("postgres") ? " COLLATE \"C\"" : "";
        }
    }

    /** Up to {@code limit} tag names of a repository that sort after {@code last} (all when null). */
    public List<String> tags(long repositoryId, String last, int limit) {
        if (last == null) {
            return jdbc.queryForList("SELECT name FROM tag WHERE repository_id = ? ORDER BY name" + collate
                    + " FETCH FIRST " + limit + " ROWS ONLY", String.class, repositoryId);
        }
        return jdbc.queryForList("SELECT name FROM tag WHERE repository_id = ? AND name" + collate + " > ?"
                + " ORDER BY name" + collate + " FETCH FIRST " + limit + " ROWS ONLY", String.class, repositoryId, last);
    }

    /** One page of a repository's tag names in the same order: {@code limit} of them after the first {@code offset}. */
    public List<String> tagPage(long repositoryId, long offset, int limit) {
        return jdbc.queryForList("SELECT name FROM tag WHERE repository_id = ? ORDER BY name" + collate
                + " OFFSET " + offset + " ROWS FETCH NEXT " + limit + " ROWS ONLY", String.class, repositoryId);
    }

    /**
     * Up to {@code limit} repository names that sort after {@code last} (all when null), of those visible: all of them,
     * or the public ones and those in the given namespaces.
     */
    public List<String> repositories(String last, int limit, boolean all, Collection<String> namespaces) {
        List<Object> args = new ArrayList<>();
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        if (last != null) {
            where.append(" AND name").append(collate).append(" > ?");
            args.add(last);
        }
        if (!all) {
            where.append(" AND (visibility = 'PUBLIC'");
            if (!namespaces.isEmpty()) {
                where.append(" OR namespace IN (").append(String.join(", ", Collections.nCopies(namespaces.size(), "?"))).append(")");
                args.addAll(namespaces);
            }
            where.append(")");
        }
        return jdbc.queryForList("SELECT name FROM repository" + where + " ORDER BY name" + collate
                + " FETCH FIRST " + limit + " ROWS ONLY", String.class, args.toArray());
    }
}
