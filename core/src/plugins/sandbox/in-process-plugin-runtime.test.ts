import { runInNewContext } from 'node:vm';
import { definePlugin, type PluginDefinition } from '@uspa/sdk';
import { describe, expect, it } from 'vitest';
import { InProcessPluginRuntime } from './in-process-plugin-runtime.js';
import {
  aTrackingEvent,
  pluginRuntimeContract,
  TEST_LIMITS,
} from './plugin-runtime.contract.fixture.js';
import { PluginCallError } from './plugin-runtime.js';
import { RecordingBridge } from './recording-bridge.fixture.js';

// The contract's plugins are bundle text; run it as the script it is to get the definition.
pluginRuntimeContract('in process', async (code, options) => {
  const global: { __uspaPlugin?: unknown } = {};
  runInNewContext(code, global);
  return new InProcessPluginRuntime(global.__uspaPlugin as PluginDefinition<never>, options);
});

describe('InProcessPluginRuntime', () => {
  const tagged = definePlugin<{ tag: string }>({
    name: 'tagger',
    version: '2.1.0',
    host: '>=0.1.0 <1',
    author: 'USPA',
    enrich(event, { config }) {
      return { ...event, enrichment: { ...event.enrichment, tag: config.tag } };
    },
  });

  it('runs a typed built-in definition with its config, not isolated', async () => {
    const runtime = new InProcessPluginRuntime(tagged, {
      config: { tag: 'beta' },
      bridge: new RecordingBridge(),
      limits: TEST_LIMITS,
    });
    expect(runtime.isolated).toBe(false);
    expect(runtime.manifest).toMatchObject({ name: 'tagger', author: 'USPA', hooks: ['enrich'] });
    expect(await runtime.enrich([aTrackingEvent()])).toEqual([
      { kind: 'ok', event: aTrackingEvent({ enrichment: { tag: 'beta' } }) },
    ]);
  });

  it('refuses an invalid definition when constructed', () => {
    const definition = { ...tagged, host: 7 } as unknown as PluginDefinition<never>;
    expect(
      () =>
        new InProcessPluginRuntime(definition, {
          config: {},
          bridge: new RecordingBridge(),
          limits: TEST_LIMITS,
        }),
    ).toThrow(
      new PluginCallError(
        'error',
        'load',
        'invalid plugin definition: host must be a non-empty string',
      ),
    );
  });
});
