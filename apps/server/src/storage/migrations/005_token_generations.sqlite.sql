-- Every access token carries its user's token generation at issue time and is accepted only while the user is
-- still at that generation. "Revoke Tokens", deactivation and the per-client revocation limit move the
-- generation on: every token issued before is refused, none issued after, whatever the clock said when they
-- were issued. Tokens issued before this column existed carry none and count as generation 0; at generation 0,
-- tokens_valid_after (epoch ms) still refuses those issued before a cut-off made before the upgrade.
ALTER TABLE users ADD COLUMN token_generation INTEGER NOT NULL DEFAULT 0;

-- Individual revocations (RFC 7009) are counted per service user, so that each may hold only a bounded number.
-- Rows from before this column existed have no owner; they go when their token would have expired anyway.
ALTER TABLE revoked_tokens ADD COLUMN user_id TEXT REFERENCES users (id) ON DELETE CASCADE;
CREATE INDEX revoked_tokens_user ON revoked_tokens (user_id);
