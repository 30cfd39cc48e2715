-- Searching names in any script. Display names and organization names are free text, but LIKE and
-- COLLATE NOCASE fold ASCII only ("ünï" missed "Ünïcödé"), and a term typed with combining marks never
-- equalled the same letters stored precomposed. Each such name gets two stored search forms (see
-- src/storage/search-forms.ts): <name>_nfc, its NFC form, and <name>_fold, its Unicode case-folded form.
-- Each holds NULL where the name's own column can stand in: the name is already NFC, or its fold is just
-- its ASCII lowercase (which lower() and LIKE compute), so ASCII names cost nothing. User names are ASCII by rule
-- (USERNAME_PATTERN) and primary domains are lowercase ASCII, so they need no stored forms.
-- search_nfc() and search_fold() are registered by the migration runner.

-- The trigram index and the covering index are rebuilt over the search forms; drop them first so the
-- backfill below does not churn them.
DROP TRIGGER users_fts_insert;
DROP TRIGGER users_fts_delete;
DROP TRIGGER users_fts_update;
DROP TABLE users_fts;
DROP INDEX users_org_type_created_names;

ALTER TABLE users ADD COLUMN display_name_nfc TEXT;
ALTER TABLE users ADD COLUMN display_name_fold TEXT;
UPDATE users SET display_name_nfc = search_nfc(display_name), display_name_fold = search_fold(display_name)
  WHERE search_nfc(display_name) IS NOT NULL OR search_fold(display_name) IS NOT NULL;

ALTER TABLE orgs ADD COLUMN name_nfc TEXT;
ALTER TABLE orgs ADD COLUMN name_fold TEXT;
UPDATE orgs SET name_nfc = search_nfc(name), name_fold = search_fold(name)
  WHERE search_nfc(name) IS NOT NULL OR search_fold(name) IS NOT NULL;

-- "contains" on a term of 3+ characters: the trigram index over the exact forms (user name, NFC display
-- name) and the case-folded display name. Its own case-insensitivity applies to the term as to the text,
-- so it still finds a superset of what the search then checks exactly. Contentless and keyed by the
-- numeric user id, as in 003.
CREATE VIRTUAL TABLE users_fts USING fts5 (
  username, display_name, display_name_fold,
  content = '', contentless_delete = 1, tokenize = 'trigram'
);

INSERT INTO users_fts (rowid, username, display_name, display_name_fold)
  SELECT CAST(id AS INTEGER), username, coalesce(display_name_nfc, display_name), coalesce(display_name_fold, lower(display_name))
  FROM users;

CREATE TRIGGER users_fts_insert AFTER INSERT ON users BEGIN
  INSERT INTO users_fts (rowid, username, display_name, display_name_fold) VALUES (
    CAST(new.id AS INTEGER), new.username,
    coalesce(new.display_name_nfc, new.display_name), coalesce(new.display_name_fold, lower(new.display_name)));
END;

CREATE TRIGGER users_fts_delete AFTER DELETE ON users BEGIN
  DELETE FROM users_fts WHERE rowid = CAST(old.id AS INTEGER);
END;

CREATE TRIGGER users_fts_update AFTER UPDATE OF id, username, display_name, display_name_nfc, display_name_fold ON users BEGIN
  DELETE FROM users_fts WHERE rowid = CAST(old.id AS INTEGER);
  INSERT INTO users_fts (rowid, username, display_name, display_name_fold) VALUES (
    CAST(new.id AS INTEGER), new.username,
    coalesce(new.display_name_nfc, new.display_name), coalesce(new.display_name_fold, lower(new.display_name)));
END;

-- Short or common terms are checked row by row in this index, which now also holds the stored forms so
-- the scan still never touches the table.
CREATE INDEX users_org_type_created_names
  ON users (org_id, type, created_at, username, display_name, display_name_nfc, display_name_fold);
