import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadMigrations } from '../src/storage/migrate.js';
import { dropDatabase, freshDatabase, serverUrl } from './support/pg-server.js';
import { tessera } from './support/keys.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-cli-migrate-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const versions = (engine: 'sqlite' | 'pg') =>
  loadMigrations(engine)
    .map((m) => m.version)
    .join(', ');

describe('npm run tessera -- migrate', () => {
  it("brings a SQLite database to this release's schema, then says it is up to date", async () => {
    const file = path.join(dir, 'fresh.db');
    const first = await tessera(['migrate'], { TESSERA_DB: file });
    expect(first).toEqual({ code: 0, stdout: `Applied migrations ${versions('sqlite')} to ${file}.\n`, stderr: '' });
    expect(await tessera(['migrate'], { TESSERA_DB: file })).toEqual({ code: 0, stdout: `${file} is up to date.\n`, stderr: '' });
  });

  // PostgreSQL only where npm test started one (TESSERA_TEST_DATABASE_URL).
  it.skipIf(!serverUrl)(
    "brings a PostgreSQL database to the schema, then says it is up to date (under the nodes' lock: storage-pg-migrations.test.ts)",
    async () => {
      const { url } = await freshDatabase();
      try {
        const env = { TESSERA_DATABASE_URL: url };
        expect(await tessera(['migrate'], env)).toEqual({ code: 0, stdout: `Applied migrations ${versions('pg')} to the PostgreSQL database.\n`, stderr: '' });
        expect(await tessera(['migrate'], env)).toEqual({ code: 0, stdout: 'the PostgreSQL database is up to date.\n', stderr: '' });
      } finally {
        await dropDatabase(url);
      }
    },
  );
});
