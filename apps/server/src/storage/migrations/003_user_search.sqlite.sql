-- The console's user search ("contains, ignoring case" on user name or display name) must stay fast with
-- 100,000 service users. A LIKE '%x%' cannot use a b-tree index, so two helpers:
--
-- 1. A trigram full-text index finds the few users whose names contain a term of 3+ characters without
--    reading every row. It is contentless (the names live in users) and keyed by the numeric user id, not
--    by users' implicit rowid, which VACUUM may renumber. Triggers keep it in step with every write.
--    Trigram matching is case-insensitive for all of Unicode, a superset of LIKE's ASCII-only folding,
--    so the search still applies the exact LIKE afterwards and the index only narrows the candidates.
CREATE VIRTUAL TABLE users_fts USING fts5 (
  username, display_name,
  content = '', contentless_delete = 1, tokenize = 'trigram'
);

INSERT INTO users_fts (rowid, username, display_name)
  SELECT CAST(id AS INTEGER), username, display_name FROM users;

CREATE TRIGGER users_fts_insert AFTER INSERT ON users BEGIN
  INSERT INTO users_fts (rowid, username, display_name) VALUES (CAST(new.id AS INTEGER), new.username, new.display_name);
END;

CREATE TRIGGER users_fts_delete AFTER DELETE ON users BEGIN
  DELETE FROM users_fts WHERE rowid = CAST(old.id AS INTEGER);
END;

CREATE TRIGGER users_fts_update AFTER UPDATE OF id, username, display_name ON users BEGIN
  DELETE FROM users_fts WHERE rowid = CAST(old.id AS INTEGER);
  INSERT INTO users_fts (rowid, username, display_name) VALUES (CAST(new.id AS INTEGER), new.username, new.display_name);
END;

-- 2. Short or common terms (1-2 characters, or thousands of hits) are cheaper to check row by row. This
--    index holds everything such a search reads, in the list's default order (newest first), so the scan
--    never touches the table and the first page is found without sorting.
CREATE INDEX users_org_type_created_names ON users (org_id, type, created_at, username, display_name);
