// tsc compiles only TypeScript; the numbered SQL migrations ship beside the compiled loader.
// The copy replaces the folder: a file renamed or removed in src (001_initial.sql became
// 001_initial.sqlite.sql) must not linger in dist, where the loader would read it as a migration.
import { cpSync, rmSync } from 'node:fs';
const target = new URL('../dist/storage/migrations', import.meta.url);
rmSync(target, { recursive: true, force: true });
cpSync(new URL('../src/storage/migrations', import.meta.url), target, { recursive: true });
