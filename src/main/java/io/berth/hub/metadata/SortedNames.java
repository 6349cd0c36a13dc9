package io.berth.hub.metadata;

import java.sql.Connection;
import java.sql.SQLException;
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

    /** Up to {@code limit} repository names that sort after {@code last} (all when null). */
    public List<String> repositories(String last, int limit) {
        if (last == null) {
            return jdbc.queryForList("SELECT name FROM repository ORDER BY name" + collate
                    + " FETCH FIRST " + limit + " ROWS ONLY", String.class);
        }
        return jdbc.queryForList("SELECT name FROM repository WHERE name" + collate + " > ? ORDER BY name" + collate
                + " FETCH FIRST " + limit + " ROWS ONLY", String.class, last);
    }
}
