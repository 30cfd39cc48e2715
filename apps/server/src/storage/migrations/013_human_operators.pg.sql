-- A human whose password someone else chose (an operator created them, or reset-password ran) must choose
-- their own at the next sign-in; until then their session may do nothing but that (1 = must change).
ALTER TABLE users ADD COLUMN password_change_required INTEGER NOT NULL DEFAULT 0;

-- Instance members get the sequence and change date every member view shows (AddIAMMember, UpdateIAMMember).
ALTER TABLE instance_members ADD COLUMN sequence BIGINT NOT NULL DEFAULT 0;
ALTER TABLE instance_members ADD COLUMN changed_at TEXT;
