package io.berth.ops;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

import javax.sql.DataSource;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

import io.berth.common.error.OutOfSpace;

/**
 * Actuator's {@code db} health, in place of Spring Boot's: the database not only answers a query but takes a write.
 * An embedded H2 on a full disk opens and reads, then fails its first write and closes itself; a read-only check would
 * call it UP. Each check updates one row ({@code health_probe}) and commits; DOWN, with the database's error as the
 * reason, when that fails. An embedded database is also DOWN when its disk has less than a megabyte free: a small
 * write may still fit in space its file already holds, the next larger one will not.
 */
@Component("dbHealthIndicator")
class DatabaseHealthIndicator implements HealthIndicator {

    private static final long EMBEDDED_MIN_FREE = 1024 * 1024;
    private static final String H2_FILE = "jdbc:h2:file:";

    private final DataSource dataSource;

    DatabaseHealthIndicator(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Health health() {
        String product = null;
        try (Connection connection = dataSource.getConnection()) {
            product = connection.getMetaData().getDatabaseProductName();
            Path embedded = embeddedDirectory(connection.getMetaData().getURL());
            if (embedded != null && embedded.toFile().getUsableSpace() < EMBEDDED_MIN_FREE) {
                return Health.down().withDetail("database", product).withDetail("writable", false)
                        .withDetail("reason", "no space left on the database's disk: " + embedded + " has "
                                + embedded.toFile().getUsableSpace() + " bytes free")
                        .build();
            }
            connection.setAutoCommit(true);
            try (PreparedStatement update = connection.prepareStatement("UPDATE health_probe SET written_at = ? WHERE id = 1")) {
                update.setTimestamp(1, Timestamp.from(Instant.now()));
                if (update.executeUpdate() == 0) {
                    try (PreparedStatement insert = connection.prepareStatement(
                            "INSERT INTO health_probe (id, written_at) VALUES (1, CURRENT_TIMESTAMP)")) {
                        insert.executeUpdate();
                    }
                }
            }
            return Health.up().withDetail("database", product).withDetail("writable", true).build();
        } catch (SQLException | RuntimeException e) {
            Health.Builder down = Health.down().withDetail("writable", false).withDetail("reason", reason(e));
            if (product != null) {
                down.withDetail("database", product);
            }
            return down.build();
        }
    }

    /** The directory of an embedded H2 file database, or null for any other. */
    private static Path embeddedDirectory(String url) {
        if (url == null || !url.startsWith(H2_FILE)) {
            return null;
        }
        int settings = url.indexOf(';');
        Path file = Path.of(url.substring(H2_FILE.length(), settings < 0 ? url.length() : settings));
        return file.toAbsolutePath().getParent();
    }

    /** The first line of the driver's message (H2 appends the statement and a version), and a full disk named as such. */
    private static String reason(Exception e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        int newline = message.indexOf('\n');
        String firstLine = newline < 0 ? message : message.substring(0, newline);
        return OutOfSpace.isCause(e) ? "no space left on the database's disk: " + firstLine : firstLine;
    }
}
