package io.berth.hub.metadata;

import java.sql.SQLException;

/**
 * Tells a database that is not there right now (an embedded H2 that closed itself after a failed write, a server that
 * went away) from a failed statement, however Spring wrapped the driver's exception.
 */
public final class DatabaseFailures {

    /** H2: the database has been closed (after a failure it could not recover from in place). */
    static final int H2_DATABASE_IS_CLOSED = 90098;
    /** H2: the database was closed while the statement ran. */
    static final int H2_DATABASE_CALLED_AT_SHUTDOWN = 90121;

    private static final int MAX_DEPTH = 20;

    private DatabaseFailures() {
    }

    /** Whether the failure says the database is closed or unreachable, rather than that a statement failed. */
    public static boolean isUnavailable(Throwable failure) {
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < MAX_DEPTH; depth++) {
            if (cause instanceof SQLException sql && (isClosed(sql) || isConnectionFailure(sql))) {
                return true;
            }
            cause = cause.getCause();
        }
        return false;
    }

    static boolean isClosed(SQLException e) {
        return e.getErrorCode() == H2_DATABASE_IS_CLOSED || e.getErrorCode() == H2_DATABASE_CALLED_AT_SHUTDOWN;
    }

    /** SQLSTATE class 08 (connection exception), and PostgreSQL's 57P01-03 (the server shut down or is starting). */
    private static boolean isConnectionFailure(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || state.startsWith("57P0"));
    }
}
