-- Account security. Portable SQL: runs unchanged on H2 and PostgreSQL.

-- Bumped whenever the password changes: browser sessions and the refresh tokens a password sign-in got carry the
-- version they were opened with, and stop working once it moves on.
ALTER TABLE account ADD COLUMN credentials_version INTEGER DEFAULT 0 NOT NULL;

-- The version a refresh token from a password sign-in was issued under; null for personal access tokens and for
-- the refresh tokens of a sign-in with one, which live and die with that token instead.
ALTER TABLE access_token ADD COLUMN credentials_version INTEGER;

-- A deleted user's or organisation's name stays taken: nobody signs up as a name others may still pull from,
-- mention in scripts or hold sessions and tokens of. The row stays with the time it was retired.
ALTER TABLE namespace ADD COLUMN retired_at TIMESTAMP WITH TIME ZONE;
