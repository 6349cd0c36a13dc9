package io.berth.hub.metadata;

import java.sql.SQLException;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.SQLExceptionOverride;

/**
 * What the embedded H2 database needs to keep Berth's promises, applied to its connection pool before it opens,
 * whatever URL the operator configured:
 * <ul>
 * <li><b>Commits are written before they are acknowledged.</b> H2 writes committed changes in the background, up to
 * {@code WRITE_DELAY} (500 ms) later; a crash in between loses transactions whose success was already answered.
 * {@code WRITE_DELAY=0} makes every commit write its changes to the file (the operating system's page cache) before it
 * returns, which a killed process cannot undo. A URL that sets {@code WRITE_DELAY} itself is left as it is.</li>
 * <li><b>Its own log goes to Berth's.</b> H2 otherwise writes errors to a {@code .trace.db} file next to the database,
 * created readable by every account and read by nobody; {@code TRACE_LEVEL_FILE=4} hands them to SLF4J.</li>
 * <li><b>A database that closed itself is reopened.</b> When a write fails (the disk is full) H2 closes the database,
 * and every pooled connection then answers "The database has been closed" while it still passes JDBC's
 * {@code isValid}. The pool therefore checks connections with a query, and the first connection that reports the
 * database closed has every other one evicted too; new connections open the database again, as soon as the disk lets
 * them.</li>
 * </ul>
 * PostgreSQL needs neither: it is durable at commit ({@code synchronous_commit=on}) and the pool already drops
 * connections a server closed.
 */
final class EmbeddedDatabaseSettings implements BeanPostProcessor {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseSettings.class);
    private static final String WRITE_DELAY = ";WRITE_DELAY=";
    private static final String TRACE_LEVEL_FILE = ";TRACE_LEVEL_FILE=";

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof HikariDataSource pool && isEmbeddedH2File(pool.getJdbcUrl())) {
            pool.setJdbcUrl(withTraceToLog(withWriteDelay(pool.getJdbcUrl())));
            pool.setConnectionTestQuery("SELECT 1");
            pool.setExceptionOverride(new ReopenClosedDatabase(pool));
        }
        return bean;
    }

    static boolean isEmbeddedH2File(String url) {
        return url != null && url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:h2:mem:");
    }

    static String withWriteDelay(String url) {
        int at = url.toUpperCase(Locale.ROOT).indexOf(WRITE_DELAY);
        if (at < 0) {
            return url + WRITE_DELAY + "0";
        }
        int valueStart = at + WRITE_DELAY.length();
        int valueEnd = url.indexOf(';', valueStart);
        String value = url.substring(valueStart, valueEnd < 0 ? url.length() : valueEnd).trim();
        if (!value.equals("0")) {
            log.warn("The database URL sets WRITE_DELAY={}: commits are answered before they are written, and a crash"
                    + " loses those of the last moments", value);
        }
        return url;
    }

    static String withTraceToLog(String url) {
        return url.toUpperCase(Locale.ROOT).contains(TRACE_LEVEL_FILE) ? url : url + TRACE_LEVEL_FILE + "4";
    }

    /** Evicts every connection of the pool once one of them finds the database closed. */
    private record ReopenClosedDatabase(HikariDataSource pool) implements SQLExceptionOverride {

        // The interface's nested enum is called Override, which hides the annotation's simple name.
        @java.lang.Override
        public SQLExceptionOverride.Override adjudicate(SQLException e) {
            if (!DatabaseFailures.isClosed(e)) {
                return SQLExceptionOverride.Override.CONTINUE_EVICT;
            }
            HikariPoolMXBean connections = pool.getHikariPoolMXBean();
            if (connections != null) {
                log.warn("The database closed itself after a failure; reopening it with fresh connections");
                connections.softEvictConnections();
            }
            return SQLExceptionOverride.Override.MUST_EVICT;
        }
    }
}
