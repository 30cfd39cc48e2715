-- Instance-wide generated secrets (session signing, token encryption, secret hashing keys).
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE orgs (
  id             TEXT PRIMARY KEY,
  name           TEXT NOT NULL,
  primary_domain TEXT NOT NULL UNIQUE,
  state          TEXT NOT NULL CHECK (state IN ('ORG_STATE_ACTIVE', 'ORG_STATE_INACTIVE')),
  sequence       INTEGER NOT NULL,
  created_at     TEXT NOT NULL,
  changed_at     TEXT NOT NULL
) STRICT;

-- Humans (console operators) and machines (service users) share one table, as in ZITADEL:
-- a username is unique across the instance, compared case-insensitively (usernames are ASCII).
CREATE TABLE users (
  id                 TEXT PRIMARY KEY,
  org_id             TEXT NOT NULL REFERENCES orgs (id),
  type               TEXT NOT NULL CHECK (type IN ('human', 'machine')),
  username           TEXT NOT NULL,
  display_name       TEXT NOT NULL,
  description        TEXT NOT NULL DEFAULT '',
  state              TEXT NOT NULL CHECK (state IN ('USER_STATE_ACTIVE', 'USER_STATE_INACTIVE')),
  access_token_type  TEXT CHECK (access_token_type IN ('ACCESS_TOKEN_TYPE_BEARER', 'ACCESS_TOKEN_TYPE_JWT')),
  password_hash      TEXT,
  -- Epoch milliseconds: tokens issued before this instant are refused ("Revoke Tokens", deactivation).
  tokens_valid_after INTEGER NOT NULL DEFAULT 0,
  sequence           INTEGER NOT NULL,
  created_at         TEXT NOT NULL,
  changed_at         TEXT NOT NULL,
  CHECK ((type = 'machine') = (access_token_type IS NOT NULL))
) STRICT;
CREATE UNIQUE INDEX users_username ON users (username COLLATE NOCASE);
CREATE INDEX users_org_type_username ON users (org_id, type, username COLLATE NOCASE);
CREATE INDEX users_org_display_name ON users (org_id, display_name COLLATE NOCASE);
CREATE INDEX users_org_created ON users (org_id, created_at);

-- One client secret per service user, stored only as a keyed hash.
CREATE TABLE machine_secrets (
  user_id    TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  hash       BLOB NOT NULL,
  created_at TEXT NOT NULL
) STRICT;

CREATE TABLE instance_members (
  user_id    TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  roles      TEXT NOT NULL, -- JSON array of instance role keys
  created_at TEXT NOT NULL
) STRICT;

CREATE TABLE org_members (
  org_id     TEXT NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
  user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  roles      TEXT NOT NULL, -- JSON array of ORG_* role keys
  sequence   INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  changed_at TEXT NOT NULL,
  PRIMARY KEY (org_id, user_id)
) STRICT;
CREATE INDEX org_members_user ON org_members (user_id);

-- Append-only audit trail; the source of details.sequence. Never holds a secret.
CREATE TABLE events (
  sequence       INTEGER PRIMARY KEY AUTOINCREMENT,
  created_at     TEXT NOT NULL,
  type           TEXT NOT NULL,
  aggregate_type TEXT NOT NULL,
  aggregate_id   TEXT NOT NULL,
  resource_owner TEXT NOT NULL,
  editor_user_id TEXT,
  payload        TEXT NOT NULL DEFAULT '{}'
) STRICT;
CREATE INDEX events_aggregate ON events (aggregate_type, aggregate_id, sequence);

CREATE TABLE signing_keys (
  kid         TEXT PRIMARY KEY,
  alg         TEXT NOT NULL,
  private_jwk TEXT NOT NULL,
  public_jwk  TEXT NOT NULL,
  created_at  INTEGER NOT NULL, -- epoch seconds
  retired_at  INTEGER           -- epoch seconds; published until its last token expires
) STRICT;

-- A revoked token is remembered only until it would have expired anyway.
CREATE TABLE revoked_tokens (
  jti        TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL -- epoch seconds
) STRICT, WITHOUT ROWID;

CREATE TABLE sessions (
  sid        TEXT PRIMARY KEY,
  data       TEXT NOT NULL,
  expires_at INTEGER NOT NULL -- epoch milliseconds
) STRICT;
CREATE INDEX sessions_expires ON sessions (expires_at);
