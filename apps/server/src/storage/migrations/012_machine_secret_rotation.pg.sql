-- Several client secrets per service user, so a secret can be rotated without an outage: the previous
-- one stays valid until its expires_at while jobs move to the new one. expires_at is ISO 8601 UTC,
-- compared as text; '9999-12-31T23:59:59Z' for a secret that does not expire (as keys and PATs).
-- hint: the secret's last 4 characters, so an operator can tell which one a job holds; null for a
-- secret made before this migration. last_used_*: written by the usage flush, never on the token path.
-- A revoked secret keeps its row (revoked_at set, expires_at moved to then) until the next rotation, so a job still
-- sending it is told so, and is not counted as guessing against the client's throttle.
ALTER TABLE machine_secrets DROP CONSTRAINT machine_secrets_pkey;
ALTER TABLE machine_secrets ADD COLUMN id TEXT;
UPDATE machine_secrets SET id = user_id;
ALTER TABLE machine_secrets ALTER COLUMN id SET NOT NULL, ADD PRIMARY KEY (id);
ALTER TABLE machine_secrets ALTER COLUMN key_id DROP DEFAULT;
ALTER TABLE machine_secrets ADD COLUMN hint TEXT;
ALTER TABLE machine_secrets ADD COLUMN expires_at TEXT NOT NULL DEFAULT '9999-12-31T23:59:59Z';
ALTER TABLE machine_secrets ALTER COLUMN expires_at DROP DEFAULT;
ALTER TABLE machine_secrets ADD COLUMN last_used_at TEXT;
ALTER TABLE machine_secrets ADD COLUMN last_used_address TEXT;
ALTER TABLE machine_secrets ADD COLUMN revoked_at TEXT;
CREATE INDEX machine_secrets_user ON machine_secrets (user_id, expires_at);

-- Successful authentications per secret and hour (hours since the epoch): "uses in the last 24 hours".
-- Counted in memory and added here in batches; hours older than a day are deleted as the hour turns.
CREATE TABLE machine_secret_uses (
  secret_id TEXT NOT NULL REFERENCES machine_secrets (id) ON DELETE CASCADE,
  hour      INTEGER NOT NULL,
  uses      INTEGER NOT NULL,
  PRIMARY KEY (secret_id, hour)
);
CREATE INDEX machine_secret_uses_hour ON machine_secret_uses (hour);
