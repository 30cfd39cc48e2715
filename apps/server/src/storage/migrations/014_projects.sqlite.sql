-- Projects: the backend APIs an organization secures with Tessera. A project's id is the audience a token is asked
-- into (scope urn:zitadel:iam:org:project:id:{id}:aud); its roles are what user grants hand out.
CREATE TABLE projects (
  id         TEXT PRIMARY KEY,
  org_id     TEXT NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
  name       TEXT NOT NULL,
  state      TEXT NOT NULL,
  sequence   INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  changed_at TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX projects_org_name ON projects (org_id, name);

CREATE TABLE project_roles (
  project_id   TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  role_key     TEXT NOT NULL,
  display_name TEXT NOT NULL,
  role_group   TEXT NOT NULL,
  sequence     INTEGER NOT NULL,
  created_at   TEXT NOT NULL,
  changed_at   TEXT NOT NULL,
  PRIMARY KEY (project_id, role_key)
) STRICT, WITHOUT ROWID;

-- API applications: the credentials a backend API introspects tokens with. client_id is unique across the instance.
-- auth_method API_AUTH_METHOD_TYPE_BASIC keeps an HMAC of its secret under the client-secret instance key named by
-- secret_key_id (never the secret); API_AUTH_METHOD_TYPE_PRIVATE_KEY_JWT keeps none, and has keys in app_keys.
CREATE TABLE api_apps (
  id            TEXT PRIMARY KEY,
  project_id    TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  name          TEXT NOT NULL,
  client_id     TEXT NOT NULL UNIQUE,
  auth_method   TEXT NOT NULL,
  secret_hash   BLOB,
  secret_key_id INTEGER,
  state         TEXT NOT NULL,
  sequence      INTEGER NOT NULL,
  created_at    TEXT NOT NULL,
  changed_at    TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX api_apps_project_name ON api_apps (project_id, name);
CREATE INDEX api_apps_secret_key_id ON api_apps (secret_key_id);

-- Keys of PRIVATE_KEY_JWT applications, as machine_keys: only the public half is kept.
CREATE TABLE app_keys (
  id              TEXT PRIMARY KEY,
  app_id          TEXT NOT NULL REFERENCES api_apps (id) ON DELETE CASCADE,
  type            TEXT NOT NULL,
  public_key      TEXT NOT NULL, -- SPKI PEM
  public_jwk      TEXT NOT NULL,
  sequence        INTEGER NOT NULL,
  created_at      TEXT NOT NULL,
  expiration_date TEXT NOT NULL
) STRICT;
CREATE INDEX app_keys_app ON app_keys (app_id);

-- User grants: the roles of one project a user holds (role_keys: a JSON array of keys). One grant per user and project.
CREATE TABLE user_grants (
  id         TEXT PRIMARY KEY,
  user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  org_id     TEXT NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
  role_keys  TEXT NOT NULL,
  sequence   INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  changed_at TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX user_grants_user_project ON user_grants (user_id, project_id);
CREATE INDEX user_grants_project ON user_grants (project_id);
