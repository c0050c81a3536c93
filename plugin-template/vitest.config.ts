import { defineConfig } from 'vitest/config';

/**
 * `npm test` in this folder. Inside the USPA repository, `@uspa/source` makes `@uspa/sdk` resolve
 * to its TypeScript sources (nothing to build first); from npm, the condition matches nothing
 * and the SDK's build is used.
 */
export default defineConfig({
  resolve: { conditions: ['@uspa/source'] },
  ssr: { resolve: { conditions: ['@uspa/source'], externalConditions: ['@uspa/source'] } },
  test: { include: ['src/**/*.test.ts'] },
});
