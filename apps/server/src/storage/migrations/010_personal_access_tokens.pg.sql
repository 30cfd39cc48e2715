-- Personal access tokens of service users, kept only as an HMAC under the client-secret key the token names.
-- generation is the user's token generation when it was made: "Revoke Tokens" and deactivation refuse it.
CREATE TABLE personal_access_tokens (
  id              TEXT PRIMARY KEY,
  user_id         TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  hash            BYTEA NOT NULL UNIQUE,
  key_id          INTEGER NOT NULL,
  generation      INTEGER NOT NULL,
  sequence        BIGINT NOT NULL,
  created_at      TEXT NOT NULL,
  expiration_date TEXT NOT NULL
);
CREATE INDEX personal_access_tokens_user ON personal_access_tokens (user_id);
