import { Writable } from 'node:stream';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { SqliteKeyValueStore } from '../../adapters/sqlite/sqlite-key-value-store.js';
import { createPluginBridge, type PluginBridgeOptions } from './plugin-bridge.js';
import { PluginLogBook } from './plugin-log-book.js';
import { PluginMetrics } from './plugin-metrics.js';

/** A pino logger writing JSON lines into an array the test reads. */
export function capturedLogger(): { logger: pino.Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, sink), lines };
}

/**
 * A plugin bridge on real parts: an embedded SQLite key-value store, a log book on a pino logger,
 * metrics on a fresh prom-client registry.
 *
 * @example
 * const { bridge, logBook } = bridgeUnderTest({ plugin: 'crm', network: ['127.0.0.1'] });
 */
export function bridgeUnderTest(
  options: Partial<Omit<PluginBridgeOptions, 'logBook' | 'metrics'>> & { plugin?: string } = {},
) {
  const { logger, lines: logged } = capturedLogger();
  const keyValues = options.keyValues ?? SqliteKeyValueStore.open(':memory:');
  const logBook = new PluginLogBook(logger);
  const registry = new Registry();
  const metrics = new PluginMetrics(registry);
  const bridge = createPluginBridge({
    plugin: options.plugin ?? 'crm',
    network: options.network ?? [],
    config: options.config ?? {},
    keyValues,
    logBook,
    metrics,
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.privateNetworks === undefined ? {} : { privateNetworks: options.privateNetworks }),
  });
  return { bridge, keyValues, logBook, metrics, registry, logged };
}
