// tsc compiles only TypeScript; the numbered SQL migrations ship beside the compiled loader.
import { cpSync } from 'node:fs';
cpSync(new URL('../src/storage/migrations', import.meta.url), new URL('../dist/storage/migrations', import.meta.url), {
  recursive: true,
});
