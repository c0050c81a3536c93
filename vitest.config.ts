import { defineConfig } from 'vitest/config';

/**
 * One root command runs every workspace's tests. Workspaces resolve each other through the
 * `@uspa/source` export condition, so tests run against sources without a prior build.
 */
export default defineConfig({
  resolve: { conditions: ['@uspa/source'] },
  // Tests run in Vite's server (SSR) environment, which has its own conditions.
  ssr: { resolve: { conditions: ['@uspa/source'], externalConditions: ['@uspa/source'] } },
  test: {
    include: ['{core,projections,plugins,sdk,plugin-template}/src/**/*.test.ts'],
    globalSetup: ['tools/test-services/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: keep file parallelism modest so timing-sensitive integration tests stay stable.
    maxWorkers: 2,
    // isolated-vm (third-party plugins) needs V8's own heap setup on Node 20+, not Node's snapshot.
    execArgv: ['--no-node-snapshot'],
    reporters: ['default'],
  },
});
