import type { PluginFetchInit } from '@uspa/sdk';
import type { BridgeResponse, PluginBridge } from './plugin-runtime.js';

type Level = Parameters<PluginBridge['log']>[0];

/**
 * The host's side of a plugin, in memory, recording every call: a store in a Map, fetch answered
 * from canned responses for the allowed hosts and refused for any other, as the real bridge
 * refuses hosts outside `permissions.network`.
 *
 * @example
 * const bridge = new RecordingBridge({ allowedHosts: ['api.crm.example'] });
 * bridge.respond('https://api.crm.example/v1/me', { status: 200, headers: {}, body: '{"id":1}' });
 */
export class RecordingBridge implements PluginBridge {
  readonly logs: { level: Level; message: string; fields?: Record<string, unknown> }[] = [];
  readonly metrics: { name: string; by: number }[] = [];
  readonly fetches: { url: string; init?: PluginFetchInit }[] = [];
  readonly store = new Map<string, unknown>();
  private readonly responses = new Map<string, BridgeResponse>();
  private readonly allowedHosts: readonly string[];

  constructor(options: { allowedHosts?: readonly string[] } = {}) {
    this.allowedHosts = options.allowedHosts ?? [];
  }

  respond(url: string, response: BridgeResponse): this {
    this.responses.set(url, response);
    return this;
  }

  log(level: Level, message: string, fields?: Record<string, unknown>): void {
    this.logs.push(fields === undefined ? { level, message } : { level, message, fields });
  }

  async fetch(url: string, init?: PluginFetchInit): Promise<BridgeResponse> {
    this.fetches.push(init === undefined ? { url } : { url, init });
    const host = new URL(url).hostname;
    if (!this.allowedHosts.includes(host)) {
      throw new Error(`fetch to ${host} refused: not in permissions.network`);
    }
    return this.responses.get(url) ?? { status: 404, headers: {}, body: 'not found' };
  }

  async storeGet(key: string): Promise<unknown> {
    return this.store.get(key);
  }

  async storeSet(key: string, value: unknown): Promise<void> {
    this.store.set(key, value);
  }

  async storeDelete(key: string): Promise<void> {
    this.store.delete(key);
  }

  async storeIncrement(key: string, by: number): Promise<number> {
    const next = Number(this.store.get(key) ?? 0) + by;
    this.store.set(key, next);
    return next;
  }

  metric(name: string, by: number): void {
    this.metrics.push({ name, by });
  }
}
