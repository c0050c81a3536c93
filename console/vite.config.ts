import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defaultClientConditions, defineConfig } from 'vite';

/**
 * The console is a static single-page app the USPA server serves under `/`. In development,
 * `npm run dev -w console` serves it on :5173 and forwards the API and the socket.io endpoint to
 * a USPA server on :8080, so the session cookie stays same-origin as it is in production.
 */
const server = 'http://localhost:8080';

export default defineConfig({
  // No svelte.config.js: Svelte 5's defaults are enough (it reads TypeScript itself).
  plugins: [svelte({ configFile: false })],
  base: '/',
  // Workspace packages are bundled from their sources (`@uspa/projections/conditions`).
  resolve: { conditions: ['@uspa/source', ...defaultClientConditions] },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
  server: {
    proxy: {
      '/v1': { target: server, changeOrigin: false },
      '/socket.io': { target: server, ws: true, changeOrigin: false },
    },
  },
});
