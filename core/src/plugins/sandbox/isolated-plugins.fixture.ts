import { afterEach } from 'vitest';
import { IsolatedPluginRuntime } from './isolated-plugin-runtime.js';
import { bundle, TEST_LIMITS } from './plugin-runtime.contract.fixture.js';
import type { RuntimeLimits } from './plugin-runtime.js';
import { RecordingBridge } from './recording-bridge.fixture.js';

/**
 * For a test file: loads a plugin definition (the source of its object, see `bundle`) into an
 * isolate of its own, disposed after the test that loaded it.
 *
 * @example
 * const loadIsolated = isolatedPluginsPerTest();
 * const runtime = await loadIsolated(`{ name: 'utm', version: '1.0.0', host: '*', enrich(e) { return e; } }`);
 */
export function isolatedPluginsPerTest(): (
  definition: string,
  options?: { bridge?: RecordingBridge; limits?: RuntimeLimits },
) => Promise<IsolatedPluginRuntime> {
  const loaded: IsolatedPluginRuntime[] = [];
  afterEach(() => loaded.splice(0).forEach((runtime) => runtime.dispose()));
  return async (definition, { bridge = new RecordingBridge(), limits = TEST_LIMITS } = {}) => {
    const runtime = await IsolatedPluginRuntime.load(bundle(definition), {
      config: {},
      bridge,
      limits,
    });
    loaded.push(runtime);
    return runtime;
  };
}
