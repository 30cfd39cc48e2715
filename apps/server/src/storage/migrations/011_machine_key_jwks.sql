-- Each key's public half also as a JWK (JSON): importing a JWK costs about 11 µs where parsing the PEM costs about
-- 250 µs, on every assertion. Keys made before this column are filled in at start (domain/machine-keys/keys.ts).
ALTER TABLE machine_keys ADD COLUMN public_jwk TEXT;
