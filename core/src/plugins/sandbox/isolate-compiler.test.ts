import { eventFields } from '@uspa/sdk';
import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import type { IsolatedPluginRuntime } from './isolated-plugin-runtime.js';
import { isolatedPluginsPerTest } from './isolated-plugins.fixture.js';
import { aTrackingEvent, TEST_LIMITS } from './plugin-runtime.contract.fixture.js';

// Lets the plugin below ask V8 how its own code runs (`%GetOptimizationStatus`).
setFlagsFromString('--allow-natives-syntax');
/** V8's status bit of a function that runs optimised code. */
const OPTIMIZED = 1 << 4;

const loadIsolated = isolatedPluginsPerTest();

const plugin = (name: string) =>
  `(() => {
    function score(id) { let h = 0; for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) | 0; return h; }
    return {
      name: '${name}', version: '1.0.0', host: '*', permissions: { fields: ['messageId'] },
      enrich(e) {
        if (e.messageId === 'status') return { ...e, enrichment: { status: %GetOptimizationStatus(score) } };
        return { ...e, enrichment: { score: score(e.messageId) } };
      },
    };
  })()`;

describe('plugin isolates', () => {
  it('run their hot code optimised, every one of them', async () => {
    const runtimes = await Promise.all(
      ['a', 'b', 'c', 'd'].map((name) =>
        loadIsolated(plugin(name), { limits: { ...TEST_LIMITS, timeoutMs: 5_000 } }),
      ),
    );
    const batch = Array.from({ length: 100 }, (_, i) => aTrackingEvent({ messageId: `m-${i}` }));
    const fields = eventFields(['messageId']);
    const call = (runtime: IsolatedPluginRuntime, events: typeof batch) =>
      runtime.enrichChanges(events, fields);
    for (let round = 0; round < 100; round++) {
      await Promise.all(runtimes.map((runtime) => call(runtime, batch)));
    }
    const statuses = await Promise.all(
      runtimes.map(async (runtime) => {
        const [outcome] = await call(runtime, [aTrackingEvent({ messageId: 'status' })]);
        return outcome?.kind === 'ok' ? Number(outcome.changes.enrichment?.status) : NaN;
      }),
    );
    expect(statuses.map((status) => (status & OPTIMIZED) !== 0)).toEqual([true, true, true, true]);
  });
});
