import ivm from 'isolated-vm';
import type { PluginFetchInit } from '@uspa/sdk';
import { messageOf } from './call-deadline.js';
import type { PluginBridge } from './plugin-runtime.js';

/** The host functions an isolate's prelude receives, in the order it expects them ($0, $1, $2). */
export interface IsolateBridge {
  /** Async calls (fetch, store): answer a JSON envelope `{ value }` or `{ error }`, never reject. */
  call: ivm.Reference<(op: unknown, a: unknown, b: unknown, c: unknown) => Promise<string>>;
  log: ivm.Callback;
  metric: ivm.Callback;
}

const LEVELS = new Set(['debug', 'info', 'warn', 'error'] as const);
type Level = Parameters<PluginBridge['log']>[0];

/**
 * Wraps a bridge for an isolate. Everything arriving here comes from untrusted code, so each
 * argument is type-checked before the bridge sees it. Errors travel back as values in the
 * envelope: the prelude rethrows them as the plugin's own `Error`, with the host's message and
 * none of the host's stack.
 *
 * @example
 * const { call, log, metric } = isolateBridge(bridge);
 * await context.evalClosure(ISOLATE_PRELUDE, [call, log, metric], { result: { reference: true } });
 */
export function isolateBridge(bridge: PluginBridge): IsolateBridge {
  const call = async (op: unknown, a: unknown, b: unknown, c: unknown): Promise<string> => {
    try {
      return JSON.stringify({ value: await answer(bridge, op, a, b, c) });
    } catch (error) {
      return JSON.stringify({ error: messageOf(error) });
    }
  };
  const log = (level: unknown, message: unknown, fieldsJson: unknown): void => {
    const fields = typeof fieldsJson === 'string' ? parseFields(fieldsJson) : undefined;
    bridge.log(LEVELS.has(level as Level) ? (level as Level) : 'info', String(message), fields);
  };
  const metric = (name: unknown, by: unknown): void => {
    bridge.metric(String(name), typeof by === 'number' && Number.isFinite(by) ? by : 1);
  };
  return {
    call: new ivm.Reference(call),
    // Fire-and-forget: the plugin does not wait for the host, and a failing log is not its problem.
    log: new ivm.Callback(log, { ignored: true }),
    metric: new ivm.Callback(metric, { ignored: true }),
  };
}

async function answer(
  bridge: PluginBridge,
  op: unknown,
  a: unknown,
  b: unknown,
  c: unknown,
): Promise<unknown> {
  switch (op) {
    case 'fetch':
      return bridge.fetch(text(a), fetchInit(b));
    case 'storeGet':
      return bridge.storeGet(text(a));
    case 'storeSet':
      return bridge.storeSet(text(a), JSON.parse(text(b)), typeof c === 'number' ? c : undefined);
    case 'storeDelete':
      return bridge.storeDelete(text(a));
    case 'storeIncrement':
      return bridge.storeIncrement(text(a), typeof b === 'number' && Number.isFinite(b) ? b : 1);
    default:
      throw new Error(`unknown host call ${String(op)}`);
  }
}

/** Keeps only the fields of a `PluginFetchInit`, with their types; drops anything else. */
function fetchInit(json: unknown): PluginFetchInit | undefined {
  if (typeof json !== 'string') return undefined;
  const raw = JSON.parse(json) as Record<string, unknown> | null;
  if (raw === null || typeof raw !== 'object') return undefined;
  const init: PluginFetchInit = {};
  if (typeof raw.method === 'string') init.method = raw.method;
  if (typeof raw.body === 'string') init.body = raw.body;
  if (typeof raw.timeoutMs === 'number') init.timeoutMs = raw.timeoutMs;
  if (typeof raw.headers === 'object' && raw.headers !== null) {
    init.headers = Object.fromEntries(
      Object.entries(raw.headers).map(([name, value]) => [name, String(value)]),
    );
  }
  return init;
}

function text(value: unknown): string {
  if (typeof value !== 'string') throw new TypeError('expected a string');
  return value;
}

function parseFields(json: string): Record<string, unknown> | undefined {
  try {
    const fields: unknown = JSON.parse(json);
    return typeof fields === 'object' && fields !== null && !Array.isArray(fields)
      ? (fields as Record<string, unknown>)
      : { value: fields };
  } catch {
    return undefined;
  }
}
