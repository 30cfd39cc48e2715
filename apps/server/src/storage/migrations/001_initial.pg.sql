-- The whole schema on PostgreSQL, as SQLite has it after 007_session_id_hashes (the SQLite files
-- 001-007 tell why each part is there). The same names, columns and constraints, so domain code writes
-- its SQL once. Translated: timestamps stay ISO strings in TEXT; epoch seconds and milliseconds, and
-- sequences, are BIGINT (PostgreSQL's INTEGER is 32 bits; epoch seconds pass 2^31 in 2038); BLOB is
-- BYTEA. Names are COLLATE "C": compared and sorted code point by code point as on SQLite, whatever
-- locale the cluster was created with, and lower() on them folds ASCII only, as SQLite's does (the
-- stored search forms of storage/search-forms.ts rely on that).

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE orgs (
  id             TEXT PRIMARY KEY,
  name           TEXT COLLATE "C" NOT NULL,
  primary_domain TEXT COLLATE "C" NOT NULL UNIQUE,
  state          TEXT NOT NULL CHECK (state IN ('ORG_STATE_ACTIVE', 'ORG_STATE_INACTIVE')),
  sequence       BIGINT NOT NULL,
  created_at     TEXT COLLATE "C" NOT NULL,
  changed_at     TEXT COLLATE "C" NOT NULL,
  name_nfc       TEXT COLLATE "C",
  name_fold      TEXT COLLATE "C"
);

CREATE TABLE users (
  id                 TEXT PRIMARY KEY,
  org_id             TEXT NOT NULL REFERENCES orgs (id),
  type               TEXT NOT NULL CHECK (type IN ('human', 'machine')),
  username           TEXT COLLATE "C" NOT NULL,
  display_name       TEXT COLLATE "C" NOT NULL,
  description        TEXT NOT NULL DEFAULT '',
  state              TEXT NOT NULL CHECK (state IN ('USER_STATE_ACTIVE', 'USER_STATE_INACTIVE')),
  access_token_type  TEXT CHECK (access_token_type IN ('ACCESS_TOKEN_TYPE_BEARER', 'ACCESS_TOKEN_TYPE_JWT')),
  password_hash      TEXT,
  tokens_valid_after BIGINT NOT NULL DEFAULT 0, -- epoch milliseconds
  sequence           BIGINT NOT NULL,
  created_at         TEXT COLLATE "C" NOT NULL,
  changed_at         TEXT COLLATE "C" NOT NULL,
  display_name_nfc   TEXT COLLATE "C",
  display_name_fold  TEXT COLLATE "C",
  token_generation   INTEGER NOT NULL DEFAULT 0,
  CHECK ((type = 'machine') = (access_token_type IS NOT NULL))
);
-- A user name is unique across the instance, ignoring case; user names are ASCII, so lower() is
-- exactly SQLite's NOCASE. Lookups compare lower(username) = lower(?) on both engines.
CREATE UNIQUE INDEX users_username ON users (lower(username));
CREATE INDEX users_org_type_username ON users (org_id, type, lower(username));
CREATE INDEX users_org_display_name ON users (org_id, lower(display_name));
CREATE INDEX users_org_created ON users (org_id, created_at);

-- User search. "Contains" on a term of 3+ characters: a trigram index over the forms the search
-- compares (the user name, the NFC display name, the case-folded display name); a query's expression
-- must be written exactly as here to reach it. One multi-column index, not one per form: as fast on
-- 100,000 users (each OR branch is its own bitmap scan of it) and a third smaller as rows arrive.
-- Short or common terms walk the covering b-tree instead, without touching the table.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX users_names_trgm ON users USING gin (
  username gin_trgm_ops,
  (coalesce(display_name_nfc, display_name)) gin_trgm_ops,
  (coalesce(display_name_fold, lower(display_name))) gin_trgm_ops);
CREATE INDEX users_org_type_created_names ON users (org_id, type, created_at)
  INCLUDE (username, display_name, display_name_nfc, display_name_fold);

CREATE TABLE machine_secrets (
  user_id    TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  hash       BYTEA NOT NULL,
  created_at TEXT NOT NULL,
  key_id     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX machine_secrets_key_id ON machine_secrets (key_id);

CREATE TABLE instance_members (
  user_id    TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  roles      TEXT NOT NULL, -- JSON array of instance role keys
  created_at TEXT NOT NULL
);

CREATE TABLE org_members (
  org_id     TEXT NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
  user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  roles      TEXT NOT NULL, -- JSON array of ORG_* role keys
  sequence   BIGINT NOT NULL,
  created_at TEXT COLLATE "C" NOT NULL,
  changed_at TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (org_id, user_id)
);
CREATE INDEX org_members_user ON org_members (user_id);

-- Append-only audit trail. Commands insert with RETURNING sequence. Identity values are never reused,
-- like SQLite's AUTOINCREMENT, but concurrent transactions may commit them out of order.
CREATE TABLE events (
  sequence       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  created_at     TEXT COLLATE "C" NOT NULL,
  type           TEXT NOT NULL,
  aggregate_type TEXT NOT NULL,
  aggregate_id   TEXT NOT NULL,
  resource_owner TEXT NOT NULL,
  editor_user_id TEXT,
  payload        TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX events_aggregate ON events (aggregate_type, aggregate_id, sequence);

CREATE TABLE signing_keys (
  kid         TEXT PRIMARY KEY,
  alg         TEXT NOT NULL,
  private_jwk TEXT,             -- JSON JWK, or wrapped under the master key; NULL once retired
  public_jwk  TEXT NOT NULL,
  created_at  BIGINT NOT NULL,  -- epoch seconds
  retired_at  BIGINT,           -- epoch seconds; published until its last token expires
  CHECK (retired_at IS NOT NULL OR private_jwk IS NOT NULL)
);

CREATE TABLE revoked_tokens (
  jti        TEXT PRIMARY KEY,
  expires_at BIGINT NOT NULL, -- epoch seconds
  user_id    TEXT REFERENCES users (id) ON DELETE CASCADE
);
CREATE INDEX revoked_tokens_user ON revoked_tokens (user_id);

-- Console sessions, keyed by the SHA-256 of their id (storage/session-store.ts).
CREATE TABLE sessions (
  sid_hash   TEXT PRIMARY KEY,
  data       TEXT NOT NULL,
  expires_at BIGINT NOT NULL -- epoch milliseconds
);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE instance_keys (
  purpose      TEXT NOT NULL CHECK (purpose IN ('opaque', 'session', 'client-secret-hmac')),
  id           INTEGER NOT NULL CHECK (id >= 0),
  material     TEXT NOT NULL,
  created_at   BIGINT NOT NULL, -- epoch seconds
  retired_at   BIGINT,          -- epoch seconds; NULL for the one current key of its purpose
  delete_after BIGINT,          -- epoch seconds; a retired key opens nothing after this
  PRIMARY KEY (purpose, id)
);
CREATE UNIQUE INDEX instance_keys_current ON instance_keys (purpose) WHERE retired_at IS NULL;

-- Several nodes share one database. Every command bumps this one row in its own transaction and
-- notifies the new value on channel tessera_changes (storage/pg/): the row lock makes the values
-- commit in order, and each node's caches forget what they hold when it moves.
CREATE TABLE change_version (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  v  BIGINT NOT NULL
);
INSERT INTO change_version (id, v) VALUES (1, 0);

-- Failure counters every node shares: one atomic upsert per failure, never count-then-insert.
CREATE TABLE throttles (
  key        TEXT PRIMARY KEY,
  count      INTEGER NOT NULL,
  window_end BIGINT NOT NULL -- epoch milliseconds
);
CREATE INDEX throttles_window_end ON throttles (window_end);
