import { defineConfig } from 'vitest/config';

const shared = {
  environment: 'node',
  pool: 'forks',
  testTimeout: 20_000,
  hookTimeout: 20_000,
} as const;

/**
 * The HTTP suites that also run on PostgreSQL (TESSERA_TEST_ENGINE=pg; npm test starts a throwaway
 * server and sets TESSERA_TEST_DATABASE_URL). They stage and check rows through t.storage, the port
 * the app runs on; a test in them about what only SQLite has is marked skipIf(TEST_ENGINE === 'pg').
 * The other files stay on SQLite only: they test SQLite's files, pages, pragmas and FTS index
 * (files-at-rest, keys-at-rest, sessions-at-rest, foundation, perf-data-version, users-search), the
 * upgrade of old SQLite files (keys-upgrade), the backup command (backup), run the built server
 * as a process on its default engine (*-process, first-start, shutdown, crash-safety, log-hygiene,
 * cli-reset-password), or check the tessera command's configuration and files (keys-cli); config
 * and perf-access-log touch no database; storage-pg-* and cluster-harness start PostgreSQL servers
 * of their own. tokens-keys still reads signing_keys through t.db.
 */
const onBothEngines = [
  'test/authz-matrix.test.ts',
  'test/bad-input-console.test.ts',
  'test/bad-input-oauth.test.ts',
  'test/oauth-interop.test.ts',
  'test/oauth-interop-libraries.test.ts',
  'test/perf-bearer-path.test.ts',
  'test/request-id.test.ts',
  'test/security-token-lifetime.test.ts',
  'test/web-cors.test.ts',
  'test/oauth-boundary.test.ts',
  'test/perf-fresh-grants.test.ts',
  'test/security-client-enumeration.test.ts',
  'test/security-failure-limiter.test.ts',
  'test/security-properties.test.ts',
  'test/security-proxy-trust.test.ts',
  'test/security-signin-throttle.test.ts',
  'test/security-throttle-nodes.test.ts',
  'test/keys-rotation-nodes.test.ts',
  'test/tokens-properties.test.ts',
  'test/web-security.test.ts',
  'test/members.test.ts',
  'test/orgs.test.ts',
  'test/oauth-client-auth.test.ts',
  'test/oauth-client-lookup.test.ts',
  'test/keys-jwt-profile.test.ts',
  'test/security-assertion-enumeration.test.ts',
  'test/pats.test.ts',
  'test/interop-jwt-profile.test.ts',
  'test/cli-service-users.test.ts',
  'test/oauth-introspect-revoke.test.ts',
  'test/oauth-token.test.ts',
  'test/tokens-validation.test.ts',
  'test/users-auth.test.ts',
  'test/users-lifecycle.test.ts',
  'test/operators.test.ts',
  'test/metrics.test.ts',
  'test/secrets-exposure.test.ts',
  'test/secrets-lifecycle.test.ts',
  'test/secrets-rotation.test.ts',
  'test/secrets-upgrade.test.ts',
  'test/secrets-revoke-option.test.ts',
  'test/security-escalation.test.ts',
  'test/security-name-disclosure.test.ts',
  'test/security-session.test.ts',
  'test/security-token-generation.test.ts',
  'test/security-token-revocation-bound.test.ts',
  'test/tokens-storage.test.ts',
  'test/users-changes.test.ts',
  'test/users-core.test.ts',
  'test/users-search-paging.test.ts',
  'test/users-update.test.ts',
  'test/users-search-unicode.test.ts',
  'test/bad-input-management.test.ts',
  'test/keys-rotation.test.ts',
  'test/security-hash-queue.test.ts',
  'test/projects.test.ts',
  'test/introspection-apps.test.ts',
  'test/interop-introspection-apps.test.ts',
  'test/app-keys.test.ts',
  'test/projects-changes.test.ts',
];

export default defineConfig({
  test: {
    projects: [
      { test: { ...shared, name: 'sqlite', include: ['test/**/*.test.ts'] } },
      ...(process.env.TESSERA_TEST_DATABASE_URL ? [{ test: { ...shared, name: 'pg', include: onBothEngines, env: { TESSERA_TEST_ENGINE: 'pg' } } }] : []),
    ],
  },
});
