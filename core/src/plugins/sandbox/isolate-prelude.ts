import { ISOLATE_FIELDS } from './isolate-fields.js';
import { ISOLATE_RELAY } from './isolate-relay.js';

/**
 * The glue that runs inside a plugin's isolate before its bundle: it builds `ctx` over the host
 * functions it receives as `$0` (async host calls, an `ivm.Reference`), `$1` (log) and `$2`
 * (metrics), installs `console`, and returns the entry points the host calls.
 *
 * Kept as source text because it must run in the isolate, not be bundled into the host. The host
 * references never leave this closure: the plugin only ever sees the wrapper functions, so it
 * cannot use them as a springboard into the host (isolated-vm's README warns about exactly that).
 *
 * Events cross by structured clone (isolated-vm's `copy`), both ways: measured on ~1 KB events,
 * about 40 % cheaper per event than a JSON string each way, since JSON.stringify/parse on both
 * sides cost more than V8's serializer. Host calls (fetch, store) and the config cross as JSON.
 * Entry points never throw for a plugin's own failure; they answer a message string instead, so
 * a rejection of the host's `apply` always means the isolate itself failed (time, memory).
 *
 * Enrich answers one outcome per event: `[0, event]`, `[1, dropReason]` or `[2, errorMessage]`.
 */
export const ISOLATE_PRELUDE = String.raw`
'use strict';
const host = $0, hostLog = $1, hostMetric = $2;
const { parse, stringify } = JSON;
const { freeze, getOwnPropertyNames, getPrototypeOf, hasOwn, keys } = Object;
const isArray = Array.isArray;
const OBJECT_PROTOTYPE = Object.prototype;
const MAX_DEPTH = 64;
// Null prototypes: a plugin that adds getters to Object.prototype cannot change how we transfer.
const HOST_CALL = freeze({ __proto__: null, result: freeze({ __proto__: null, promise: true, copy: true }) });
const HOOKS = ['setup', 'enrich', 'onEvent', 'onBatch', 'teardown'];

function messageOf(error) {
  try {
    if (error !== null && typeof error === 'object' && typeof error.message === 'string') return error.message;
    return String(error);
  } catch {
    return 'unknown error';
  }
}
function jsonOrUndefined(value) {
  try { return value === undefined ? undefined : stringify(value); } catch { return undefined; }
}
function deepFreeze(value) {
  if (value !== null && typeof value === 'object') {
    for (const key of getOwnPropertyNames(value)) deepFreeze(value[key]);
    freeze(value);
  }
  return value;
}
function isThenable(value) {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof value.then === 'function';
}

async function callHost(op, a, b, c) {
  const envelope = parse(await host.apply(undefined, [op, a, b, c], HOST_CALL));
  if (typeof envelope.error === 'string') throw new Error(envelope.error);
  return envelope.value;
}

const say = (level) => (message, fields) => { hostLog(level, String(message), jsonOrUndefined(fields)); };
const log = freeze({ debug: say('debug'), info: say('info'), warn: say('warn'), error: say('error') });
const line = (args) => args.map((arg) => (typeof arg === 'string' ? arg : jsonOrUndefined(arg) ?? String(arg))).join(' ');
const printer = (level) => (...args) => { hostLog(level, line(args), undefined); };
globalThis.console = freeze({
  log: printer('info'), info: printer('info'), debug: printer('debug'), warn: printer('warn'), error: printer('error'),
});

async function fetch(url, init) {
  // Unlike a log line, a request whose init cannot cross must fail, not go out as a bare GET.
  const initJson = init === undefined ? undefined : stringify(init);
  const { status, headers, body } = await callHost('fetch', String(url), initJson);
  return freeze({
    status,
    ok: status >= 200 && status < 300,
    headers: freeze(headers),
    text: async () => body,
    json: async () => parse(body),
  });
}
const store = freeze({
  get: async (key) => callHost('storeGet', String(key)),
  set: async (key, value, options) => {
    const json = jsonOrUndefined(value);
    if (json === undefined) throw new TypeError('store values must be JSON');
    await callHost('storeSet', String(key), json, options?.ttlSeconds);
  },
  delete: async (key) => { await callHost('storeDelete', String(key)); },
  increment: async (key, by = 1) => callHost('storeIncrement', String(key), Number(by)),
});
const metrics = freeze({ increment: (name, by = 1) => { hostMetric(String(name), Number(by)); } });

let plugin, ctx;

function outline(definition) {
  const projections = definition.projections;
  return {
    name: definition.name, version: definition.version, host: definition.host,
    description: definition.description, author: definition.author,
    configSchema: definition.configSchema, permissions: definition.permissions,
    hooks: HOOKS.filter((hook) => typeof definition[hook] === 'function'),
    projections: isArray(projections)
      ? projections.map((p) => (p !== null && typeof p === 'object'
          ? { name: p.name, handles: p.handles, handle: typeof p.handle === 'function' }
          : p))
      : projections,
  };
}

function load(configJson) {
  try {
    const definition = globalThis.__uspaPlugin;
    if (definition === null || typeof definition !== 'object') {
      return stringify({ error: 'the bundle did not set globalThis.__uspaPlugin to a plugin definition' });
    }
    plugin = definition;
    ctx = freeze({ config: deepFreeze(parse(configJson)), log, fetch, store, metrics });
    return stringify({ outline: outline(definition) });
  } catch (error) {
    return stringify({ error: 'reading the plugin definition failed: ' + messageOf(error) });
  }
}

// Structured clone carries more than JSON (BigInt, Map, Date, cycles); events must stay JSON,
// so each result is checked here, where a flaw can cost its own event only.
function flawOf(value, depth) {
  switch (typeof value) {
    case 'string': case 'number': case 'boolean': case 'undefined': return undefined;
    case 'object': if (value === null) return undefined; break;
    default: return { what: 'a ' + typeof value, path: [] };
  }
  if (depth > MAX_DEPTH) return { what: 'nesting deeper than ' + MAX_DEPTH + ' levels (a cycle?)', path: [] };
  if (isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const flaw = flawOf(value[i], depth + 1);
      if (flaw !== undefined) { flaw.path.unshift(i); return flaw; }
    }
    return undefined;
  }
  const prototype = getPrototypeOf(value);
  if (prototype !== OBJECT_PROTOTYPE && prototype !== null) {
    return { what: 'a ' + (prototype.constructor?.name ?? 'non-plain object'), path: [] };
  }
  const names = keys(value);
  for (let i = 0; i < names.length; i++) {
    const flaw = flawOf(value[names[i]], depth + 1);
    if (flaw !== undefined) { flaw.path.unshift(names[i]); return flaw; }
  }
  return undefined;
}

function outcome(result) {
  try {
    return checkedOutcome(result);
  } catch (error) {
    return failed(error);
  }
}
function checkedOutcome(result) {
  if (result === null || typeof result !== 'object' || isArray(result)) {
    return [2, 'enrich returned ' + (result === null ? 'null' : isArray(result) ? 'an array' : typeof result) + ', not an event'];
  }
  if ('drop' in result) return [1, String(result.drop)];
  const flaw = flawOf(result, 0);
  if (flaw === undefined) return [0, result];
  const at = flaw.path.length > 8 ? flaw.path.slice(0, 8).join('.') + '…' : flaw.path.join('.') || 'the top';
  return [2, 'enrich returned ' + flaw.what + ' at ' + at + '; events are JSON (dates as ISO strings)'];
}
const failed = (error) => [2, messageOf(error)];

function enrich(events) {
  const outcomes = new Array(events.length);
  let pending;
  for (let i = 0; i < events.length; i++) {
    try {
      const result = plugin.enrich(events[i], ctx);
      if (isThenable(result)) {
        (pending ??= []).push(Promise.resolve(result).then(
          (value) => { outcomes[i] = outcome(value); },
          (error) => { outcomes[i] = failed(error); },
        ));
      } else {
        outcomes[i] = outcome(result);
      }
    } catch (error) {
      outcomes[i] = failed(error);
    }
  }
  return pending === undefined ? outcomes : Promise.all(pending).then(() => outcomes);
}

${ISOLATE_RELAY}
${ISOLATE_FIELDS}
function run(callable, receiver, args) {
  try {
    const result = callable.apply(receiver, args);
    return isThenable(result) ? Promise.resolve(result).then(() => undefined, messageOf) : undefined;
  } catch (error) {
    return messageOf(error);
  }
}

function invoke(hook, payload) {
  if (!HOOKS.includes(hook) || typeof plugin[hook] !== 'function') return undefined;
  return run(plugin[hook], plugin, payload === undefined ? [ctx] : [payload, ctx]);
}

function project(name, events) {
  const projection = isArray(plugin.projections)
    ? plugin.projections.find((p) => p !== null && typeof p === 'object' && p.name === name)
    : undefined;
  if (projection === undefined || typeof projection.handle !== 'function') return 'no projection named ' + name;
  return run(projection.handle, projection, [events, ctx]);
}

return { load, enrich, enrichFields, relay, invoke, project };
`;
