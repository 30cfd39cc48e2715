-- Console sessions are kept under the SHA-256 of their id from now on (storage/session-store.ts), so a
-- copy of the database or of a backup holds no id that a cookie could carry. An id stored in the clear
-- cannot be hashed in SQL, so the sessions open before the upgrade end here: whoever was signed in to
-- the console signs in once more. Machines are not affected (they use tokens, not sessions).
DELETE FROM sessions;
ALTER TABLE sessions RENAME COLUMN sid TO sid_hash;
