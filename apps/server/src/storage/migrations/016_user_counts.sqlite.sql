-- How many users each organization holds, by type and state, kept by triggers in the transaction that
-- changes them: ListUsers answers the total of an unfiltered list (or one filtered by type or state)
-- from here, instead of counting a million index entries for every page it serves.
CREATE TABLE user_counts (
  org_id TEXT NOT NULL,
  type   TEXT NOT NULL,
  state  TEXT NOT NULL,
  n      INTEGER NOT NULL,
  PRIMARY KEY (org_id, type, state)
) STRICT, WITHOUT ROWID;
INSERT INTO user_counts (org_id, type, state, n) SELECT org_id, type, state, count(*) FROM users GROUP BY org_id, type, state;

CREATE TRIGGER user_counts_insert AFTER INSERT ON users BEGIN
  INSERT INTO user_counts (org_id, type, state, n) VALUES (new.org_id, new.type, new.state, 1)
    ON CONFLICT (org_id, type, state) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER user_counts_delete AFTER DELETE ON users BEGIN
  UPDATE user_counts SET n = n - 1 WHERE org_id = old.org_id AND type = old.type AND state = old.state;
END;
CREATE TRIGGER user_counts_update AFTER UPDATE OF org_id, type, state ON users
  WHEN old.org_id IS NOT new.org_id OR old.type IS NOT new.type OR old.state IS NOT new.state
BEGIN
  UPDATE user_counts SET n = n - 1 WHERE org_id = old.org_id AND type = old.type AND state = old.state;
  INSERT INTO user_counts (org_id, type, state, n) VALUES (new.org_id, new.type, new.state, 1)
    ON CONFLICT (org_id, type, state) DO UPDATE SET n = n + 1;
END;

-- Sorting by state pages through this index in order (the rowid closes each entry, as it closes the order).
CREATE INDEX users_org_type_state ON users (org_id, type, state);
