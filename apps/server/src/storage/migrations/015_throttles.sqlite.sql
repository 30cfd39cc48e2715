-- Failure counts shared by the processes serving one SQLite file (TESSERA_WORKERS above 1), as
-- PostgreSQL's nodes share them since 001: a guesser spread over the workers meets the same limits.
-- A single process keeps its counts in memory and leaves this table empty.
CREATE TABLE throttles (
  key        TEXT PRIMARY KEY,
  count      INTEGER NOT NULL,
  window_end INTEGER NOT NULL -- epoch milliseconds
);
CREATE INDEX throttles_window_end ON throttles (window_end);
