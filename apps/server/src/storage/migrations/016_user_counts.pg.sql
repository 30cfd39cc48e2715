-- How many users each organization holds, by type and state, kept by a trigger in the transaction that
-- changes them: ListUsers answers the total of an unfiltered list (or one filtered by type or state)
-- from here, instead of counting a million index entries for every page it serves. A total is the sum
-- of up to 64 rows, one per slot: a transaction counts in its connection's slot (the backend's pid mod
-- 64), so transactions adding users at once on several connections or nodes do not queue on one row
-- until each commits. A slot's n may go below zero (users added on one connection, removed on another).
CREATE TABLE user_counts (
  org_id TEXT NOT NULL,
  type   TEXT NOT NULL,
  state  TEXT NOT NULL,
  slot   SMALLINT NOT NULL,
  n      BIGINT NOT NULL,
  PRIMARY KEY (org_id, type, state, slot)
);
INSERT INTO user_counts (org_id, type, state, slot, n) SELECT org_id, type, state, 0, count(*) FROM users GROUP BY org_id, type, state;

-- A change of state moves one from a row to another of the same slot. Both rows are locked in the order
-- of their keys, so two transactions moving users opposite ways wait for each other instead of deadlocking.
CREATE FUNCTION user_counts_follow() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  this_slot smallint := pg_backend_pid() % 64;
  new_first boolean := TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND (NEW.org_id, NEW.type, NEW.state) < (OLD.org_id, OLD.type, OLD.state));
BEGIN
  IF new_first THEN
    INSERT INTO user_counts VALUES (NEW.org_id, NEW.type, NEW.state, this_slot, 1)
      ON CONFLICT (org_id, type, state, slot) DO UPDATE SET n = user_counts.n + 1;
  END IF;
  IF TG_OP <> 'INSERT' THEN
    INSERT INTO user_counts VALUES (OLD.org_id, OLD.type, OLD.state, this_slot, -1)
      ON CONFLICT (org_id, type, state, slot) DO UPDATE SET n = user_counts.n - 1;
  END IF;
  IF TG_OP = 'UPDATE' AND NOT new_first THEN
    INSERT INTO user_counts VALUES (NEW.org_id, NEW.type, NEW.state, this_slot, 1)
      ON CONFLICT (org_id, type, state, slot) DO UPDATE SET n = user_counts.n + 1;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER user_counts_insert_delete AFTER INSERT OR DELETE ON users
  FOR EACH ROW EXECUTE FUNCTION user_counts_follow();
CREATE TRIGGER user_counts_update AFTER UPDATE OF org_id, type, state ON users
  FOR EACH ROW WHEN (OLD.org_id IS DISTINCT FROM NEW.org_id OR OLD.type IS DISTINCT FROM NEW.type OR OLD.state IS DISTINCT FROM NEW.state)
  EXECUTE FUNCTION user_counts_follow();

-- Sorting by state pages through this index in order, the id closing each entry as it closes the order.
CREATE INDEX users_org_type_state ON users (org_id, type, state, id);

-- A display name's prefix (STARTS_WITH, ignoring case) is a range of this index, in the C collation of the
-- folded form, as a user name's is of users_org_type_username: a prefix that a million names share
-- ("Billing ") has trigrams that narrow nothing.
CREATE INDEX users_org_type_display_fold ON users (org_id, type, (coalesce(display_name_fold, lower(display_name))));
