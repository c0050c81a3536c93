import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import { defineConfig } from 'vitest/config';

/**
 * One root command runs every workspace's tests, in two projects:
 *
 * - `uspa`: the server-side workspaces, in Node. Workspaces resolve each other through the
 *   `@uspa/source` export condition, so tests run against sources without a prior build.
 * - `console`: the Svelte 5 console's component tests, in jsdom. Svelte must resolve to its
 *   browser build (`browser` condition), or `mount` is the server renderer and tests fail.
 *
 * `npx vitest run --project console` runs one of them.
 */
export default defineConfig({
  test: {
    // Two cores, shared by both projects: keep file parallelism modest so timing-sensitive
    // integration tests stay stable.
    maxWorkers: 2,
    reporters: ['default'],
    projects: [
      {
        resolve: { conditions: ['@uspa/source'] },
        // Tests run in Vite's server (SSR) environment, which has its own conditions.
        ssr: { resolve: { conditions: ['@uspa/source'], externalConditions: ['@uspa/source'] } },
        test: {
          name: 'uspa',
          include: ['{core,projections,plugins,sdk,plugin-template}/src/**/*.test.ts'],
          globalSetup: ['tools/test-services/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          // isolated-vm (third-party plugins) needs V8's own heap setup on Node 20+, not Node's
          // snapshot.
          execArgv: ['--no-node-snapshot'],
        },
      },
      {
        // No svelte.config.js: Svelte 5's defaults (it reads TypeScript itself). svelteTesting()
        // unmounts rendered components after each test.
        plugins: [svelte({ configFile: false }), svelteTesting({ resolveBrowser: false })],
        resolve: { conditions: ['@uspa/source', 'browser'] },
        test: {
          name: 'console',
          include: ['console/src/**/*.test.ts'],
          environment: 'jsdom',
        },
      },
    ],
  },
});
