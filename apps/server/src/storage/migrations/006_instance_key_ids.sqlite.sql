-- Keys with ids, so each can be rotated while what it made stays usable (storage/instance-keys.ts).
--
-- Freed space is zeroed while this runs, so the dropped rows (retired private keys, the old
-- settings rows) leave no copy in the file's free pages, nor in later backups of it.
PRAGMA secure_delete = ON;

-- 1. The instance keys move from settings into a table of their own, one row per key and purpose:
--    'opaque' seals BEARER access tokens, 'session' signs console session cookies,
--    'client-secret-hmac' hashes client secrets. Today's keys become id 0, so tokens, cookies and
--    hashes made before this migration keep working. `material` is the key as base64url, or
--    wrapped under the master key ('tmk1.' prefix, security/envelope.ts) once one is configured.
CREATE TABLE instance_keys (
  purpose      TEXT NOT NULL CHECK (purpose IN ('opaque', 'session', 'client-secret-hmac')),
  id           INTEGER NOT NULL CHECK (id >= 0),
  material     TEXT NOT NULL,
  created_at   INTEGER NOT NULL, -- epoch seconds
  retired_at   INTEGER,          -- epoch seconds; NULL for the one current key of its purpose
  delete_after INTEGER,          -- epoch seconds; a retired key opens nothing after this
  PRIMARY KEY (purpose, id)
) STRICT;
CREATE UNIQUE INDEX instance_keys_current ON instance_keys (purpose) WHERE retired_at IS NULL;

INSERT INTO instance_keys (purpose, id, material, created_at)
  SELECT CASE key WHEN 'access_token_key' THEN 'opaque' WHEN 'session_secret' THEN 'session' ELSE 'client-secret-hmac' END,
         0, value, unixepoch()
  FROM settings WHERE key IN ('access_token_key', 'session_secret', 'client_secret_hmac_key');
DELETE FROM settings WHERE key IN ('access_token_key', 'session_secret', 'client_secret_hmac_key');

-- 2. Each client secret's hash names the key that made it: after a rotation, a hash is checked
--    with its own key and re-hashed with the current one at its next successful use.
--    The index answers "does any hash still need key N?" without reading every secret.
ALTER TABLE machine_secrets ADD COLUMN key_id INTEGER NOT NULL DEFAULT 0;
CREATE INDEX machine_secrets_key_id ON machine_secrets (key_id);

-- 3. A retired signing key only verifies, which needs its public key alone: its private key is
--    deleted at retirement, so no later backup holds it. The column becomes nullable (a rebuild,
--    SQLite cannot drop NOT NULL in place) and already-retired keys lose theirs now.
CREATE TABLE signing_keys_006 (
  kid         TEXT PRIMARY KEY,
  alg         TEXT NOT NULL,
  private_jwk TEXT,             -- JSON JWK, or wrapped under the master key; NULL once retired
  public_jwk  TEXT NOT NULL,
  created_at  INTEGER NOT NULL, -- epoch seconds
  retired_at  INTEGER,          -- epoch seconds; published until its last token expires
  CHECK (retired_at IS NOT NULL OR private_jwk IS NOT NULL)
) STRICT;
INSERT INTO signing_keys_006 (kid, alg, private_jwk, public_jwk, created_at, retired_at)
  SELECT kid, alg, CASE WHEN retired_at IS NULL THEN private_jwk END, public_jwk, created_at, retired_at FROM signing_keys;
DROP TABLE signing_keys;
ALTER TABLE signing_keys_006 RENAME TO signing_keys;

PRAGMA secure_delete = OFF;
