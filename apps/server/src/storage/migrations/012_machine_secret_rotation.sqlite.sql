-- Several client secrets per service user, so a secret can be rotated without an outage: the previous
-- one stays valid until its expires_at while jobs move to the new one. expires_at is ISO 8601 UTC,
-- compared as text; '9999-12-31T23:59:59Z' for a secret that does not expire (as keys and PATs).
-- hint: the secret's last 4 characters, so an operator can tell which one a job holds; null for a
-- secret made before this migration. last_used_*: written by the usage flush, never on the token path.
-- A revoked secret keeps its row (revoked_at set, expires_at moved to then) until the next rotation, so a job still
-- sending it is told so, and is not counted as guessing against the client's throttle.
CREATE TABLE machine_secrets_012 (
  id                TEXT PRIMARY KEY,
  user_id           TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  hash              BLOB NOT NULL,
  key_id            INTEGER NOT NULL,
  hint              TEXT,
  created_at        TEXT NOT NULL,
  expires_at        TEXT NOT NULL,
  last_used_at      TEXT,
  last_used_address TEXT,
  revoked_at        TEXT
) STRICT;
INSERT INTO machine_secrets_012 (id, user_id, hash, key_id, hint, created_at, expires_at)
  SELECT user_id, user_id, hash, key_id, NULL, created_at, '9999-12-31T23:59:59Z' FROM machine_secrets;
DROP TABLE machine_secrets;
ALTER TABLE machine_secrets_012 RENAME TO machine_secrets;
CREATE INDEX machine_secrets_user ON machine_secrets (user_id, expires_at);
CREATE INDEX machine_secrets_key_id ON machine_secrets (key_id);

-- Successful authentications per secret and hour (hours since the epoch): "uses in the last 24 hours".
-- Counted in memory and added here in batches; hours older than a day are deleted as the hour turns.
CREATE TABLE machine_secret_uses (
  secret_id TEXT NOT NULL REFERENCES machine_secrets (id) ON DELETE CASCADE,
  hour      INTEGER NOT NULL,
  uses      INTEGER NOT NULL,
  PRIMARY KEY (secret_id, hour)
) STRICT, WITHOUT ROWID;
CREATE INDEX machine_secret_uses_hour ON machine_secret_uses (hour);
