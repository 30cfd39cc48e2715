-- Service user keys (ZITADEL's machine keys, the JWT profile): only the public key is kept; the private key
-- goes to the operator once, in the key file. expiration_date is ISO 8601 UTC, compared as text.
CREATE TABLE machine_keys (
  id              TEXT PRIMARY KEY,
  user_id         TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  type            TEXT NOT NULL,
  public_key      TEXT NOT NULL, -- SPKI PEM
  sequence        INTEGER NOT NULL,
  created_at      TEXT NOT NULL,
  expiration_date TEXT NOT NULL
) STRICT;
CREATE INDEX machine_keys_user ON machine_keys (user_id);

-- Assertions (RFC 7523) already exchanged, by issuer and jti, until they expire: each is accepted once.
CREATE TABLE used_assertions (
  id         TEXT PRIMARY KEY, -- issuer, newline, jti
  expires_at INTEGER NOT NULL  -- epoch ms
) STRICT;
CREATE INDEX used_assertions_expiry ON used_assertions (expires_at);
