-- User names are looked up as lower(username) = lower(?), the one form PostgreSQL shares (its unique
-- index is on lower(username), see 001_initial.pg.sql). This index serves that form here. User names
-- are ASCII, so lower() equals NOCASE and the names are already unique under it; users_username
-- (NOCASE) stays for the statements that still compare that way.
CREATE UNIQUE INDEX users_username_lower ON users (lower(username));
