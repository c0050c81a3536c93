import type { PluginContext, PluginFetchInit, PluginFetchResponse } from '@uspa/sdk';
import type { PluginBridge } from './plugin-runtime.js';

/**
 * The `ctx` of an in-process plugin, over the bridge: the same surface an isolated plugin gets
 * from its prelude. `config` is a deep, frozen copy, so a plugin cannot change the host's object
 * (nor another hook's view of it).
 *
 * @example
 * const ctx = bridgeContext({ anonymizeIp: true }, bridge);
 * await geoPlugin.setup?.(ctx);
 */
export function bridgeContext(
  config: Record<string, unknown>,
  bridge: PluginBridge,
): PluginContext<never> {
  const say =
    (level: Parameters<PluginBridge['log']>[0]) =>
    (message: string, fields?: Record<string, unknown>): void =>
      bridge.log(level, message, fields);
  return Object.freeze({
    config: deepFreeze(structuredClone(config)) as never,
    log: Object.freeze({
      debug: say('debug'),
      info: say('info'),
      warn: say('warn'),
      error: say('error'),
    }),
    fetch: async (url: string, init?: PluginFetchInit): Promise<PluginFetchResponse> => {
      const { status, headers, body } = await bridge.fetch(url, init);
      return Object.freeze({
        status,
        ok: status >= 200 && status < 300,
        headers: Object.freeze({ ...headers }),
        text: async () => body,
        json: async () => JSON.parse(body) as unknown,
      });
    },
    store: Object.freeze({
      get: async <T>(key: string) => (await bridge.storeGet(key)) as T | undefined,
      set: (key: string, value: unknown, options?: { ttlSeconds?: number }) =>
        bridge.storeSet(key, value, options?.ttlSeconds),
      delete: (key: string) => bridge.storeDelete(key),
      increment: (key: string, by = 1) => bridge.storeIncrement(key, by),
    }),
    metrics: Object.freeze({
      increment: (name: string, by = 1): void => bridge.metric(name, by),
    }),
  });
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const key of Object.getOwnPropertyNames(value)) {
      deepFreeze((value as Record<string, unknown>)[key]);
    }
    Object.freeze(value);
  }
  return value;
}
