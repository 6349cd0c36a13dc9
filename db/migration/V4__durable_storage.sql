-- Crash consistency and storage limits. Portable SQL: runs unchanged on H2 and PostgreSQL.

-- A blob garbage collection is removing: marked, and the mark committed, before its bytes go, so that a crash between
-- the two leaves a row that says so, never one that claims bytes which are gone. Committing the same digest again clears
-- the mark (and stores the bytes anew if they went); the next collection finishes what a crash interrupted.
ALTER TABLE blob ADD COLUMN deleting BOOLEAN DEFAULT FALSE NOT NULL;

-- The account that opened an upload, for the per-account caps on open uploads and bytes in flight (null for uploads
-- opened before there were caps).
ALTER TABLE upload_session ADD COLUMN account VARCHAR(255);
CREATE INDEX ix_upload_session_account ON upload_session (account);

-- The row the db health check updates: a database that still answers reads but cannot write is DOWN.
CREATE TABLE health_probe (
    id          INT PRIMARY KEY,
    written_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
INSERT INTO health_probe (id, written_at) VALUES (1, CURRENT_TIMESTAMP);
