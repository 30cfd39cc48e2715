import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

const server = process.env.TESSERA_DEV_SERVER ?? 'http://localhost:8080';

export default defineConfig({
  plugins: [react()],
  // One bundle is fine for an admin console served from the same host; it is cached immutably.
  // No source maps: the server would publish them to anyone at /assets/*.js.map. `pnpm dev` keeps
  // its own in-memory maps for debugging.
  build: { outDir: 'dist', sourcemap: false, chunkSizeWarningLimit: 900 },
  // `pnpm dev`: the console on :5173 with reload, proxying every API to the server.
  server: {
    port: 5173,
    proxy: Object.fromEntries(['/api', '/management', '/oauth', '/oidc', '/.well-known', '/healthz'].map((p) => [p, { target: server }])),
  },
  test: { environment: 'happy-dom', include: ['src/**/*.test.{ts,tsx}'] },
});
