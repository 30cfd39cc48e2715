import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';
import { directImports } from './vite/direct-imports';

const server = process.env.TESSERA_DEV_SERVER ?? 'http://localhost:8080';

export default defineConfig({
  // Imports from these packages' indexes become imports of the modules that define the names, so
  // each route's chunks carry only what it uses (vite/direct-imports.ts).
  plugins: [react(), directImports(['@mantine/core', '@mantine/hooks', '@mantine/notifications', '@tabler/icons-react', '@tessera/contracts', 'zod'])],
  // Split by route: the sign-in page loads the entry chunk only, each other page its own chunks too
  // (src/app/router.tsx), and scripts/check-bundle.mjs holds both to a budget. Chunks are cached
  // immutably. No source maps: the server would publish them to anyone at /assets/*.js.map.
  // `pnpm dev` keeps its own in-memory maps for debugging.
  build: { outDir: 'dist', sourcemap: false, chunkSizeWarningLimit: 900 },
  // `pnpm dev`: the console on :5173 with reload, proxying every API to the server.
  server: {
    port: 5173,
    proxy: Object.fromEntries(['/api', '/management', '/oauth', '/oidc', '/.well-known', '/healthz'].map((p) => [p, { target: server }])),
  },
  test: { environment: 'happy-dom', include: ['src/**/*.test.{ts,tsx}'] },
});
