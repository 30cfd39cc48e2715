-- Every access token carries its user's token generation at issue time and is accepted only while the user is
-- still at that generation. "Revoke Tokens" and deactivation move the generation on: every token issued before
-- is refused, none issued after, whatever the clock said when they were issued. Tokens issued before this
-- column existed carry none and count as generation 0; at generation 0, tokens_valid_after (epoch ms) still
-- refuses those issued before a cut-off made before the upgrade.
ALTER TABLE users ADD COLUMN token_generation INTEGER NOT NULL DEFAULT 0;
