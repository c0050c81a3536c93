import type { TrackingEvent } from '../plugin/tracking-event.js';
import { mergedEnrichment } from '../plugin/with-enrichment.js';

/** At most this many declared fields, each at most this deep. */
export const EVENT_FIELDS_LIMITS = { fields: 64, depth: 8 } as const;

/** Names that would reach an object's prototype when written as a key. */
const UNSAFE = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * What is wrong with a plugin's `permissions.fields`, or `undefined` when they are usable:
 * dotted paths into a tracking event (`context.page.url`), no empty segment, no prototype names.
 *
 * @example
 * eventFieldsFlaw(['context.ip', 'properties.price']); // → undefined
 * eventFieldsFlaw(['context..ip']); // → 'permissions.fields[0] ("context..ip") has an empty segment'
 */
export function eventFieldsFlaw(fields: readonly unknown[]): string | undefined {
  if (fields.length > EVENT_FIELDS_LIMITS.fields) {
    return `permissions.fields lists more than ${EVENT_FIELDS_LIMITS.fields} fields`;
  }
  for (const [index, field] of fields.entries()) {
    const where = `permissions.fields[${index}] (${JSON.stringify(field)})`;
    if (typeof field !== 'string' || field === '') return `${where} must be a non-empty string`;
    const segments = field.split('.');
    if (segments.length > EVENT_FIELDS_LIMITS.depth) {
      return `${where} is deeper than ${EVENT_FIELDS_LIMITS.depth} levels`;
    }
    if (segments.includes('')) return `${where} has an empty segment`;
    const unsafe = segments.find((segment) => UNSAFE.has(segment));
    if (unsafe !== undefined) return `${where} names ${unsafe}, which no event field may be`;
  }
  return undefined;
}

/** What `enrich` made of a narrowed event, put back on the whole event. */
export type NarrowedResult = { event: TrackingEvent } | { error: string };

/**
 * What `enrich` changed, by field: `[i, value]` sets `fields[i]`, `[i]` removes it, and the keys
 * of `enrichment` are added under the event's `enrichment`. A sandbox answers this rather than
 * the whole result, so that only what changed crosses back.
 */
export interface FieldChanges {
  enrichment?: Record<string, unknown> | null;
  changes: readonly (readonly [number] | readonly [number, unknown])[];
}

/** A plugin's declared fields, ready to narrow events and apply results (see {@link eventFields}). */
export interface EventFields {
  /** The declared fields, those a broader one covers left out, in declared order. */
  readonly fields: readonly string[];
  /** The same, split into their segments. */
  readonly paths: readonly (readonly string[])[];
  /** The part of `event` that the fields name: nothing else, values shared with `event`. */
  narrow(event: TrackingEvent): Record<string, unknown>;
  /**
   * `event` with what `enrich` returned for its narrowed part: each declared field takes the
   * result's value (removed when the result has none), and keys under the result's `enrichment`
   * are added to the event's. A result with any other top-level key is an error, as the plugin
   * could not have read it. The event itself is not changed: what differs is copied.
   */
  apply(event: TrackingEvent, result: Record<string, unknown>): NarrowedResult;
  /**
   * What `result` sets, removes and adds, as {@link apply} reads it; an error as it would. Given
   * the event, a field whose value is the same primitive as there is not a change.
   */
  changesOf(
    result: Record<string, unknown>,
    event?: TrackingEvent,
  ): FieldChanges | { error: string };
  /**
   * `event` with `changes` applied (see {@link FieldChanges}); an error for a malformed change,
   * the event then left as it was. Objects in `owned` are the caller's to change in place (an
   * event already copied, its enrichment); the copies made here are added to it.
   */
  applyChanges(event: TrackingEvent, changes: FieldChanges, owned?: Set<unknown>): NarrowedResult;
}

/**
 * The rules of `permissions.fields`: a plugin's `enrich` sees only the fields it declares, and
 * may change only those and add under `enrichment`. Host and plugin test harness both use it,
 * so a plugin behaves the same in its tests as installed.
 *
 * @throws {Error} when the fields are not usable (see {@link eventFieldsFlaw}).
 * @example
 * const fields = eventFields(['context.page.url', 'properties.price']);
 * const part = fields.narrow(event); // { context: { page: { url } }, properties: { price } }
 * const { event: enriched } = fields.apply(event, { ...part, enrichment: { utm: { source: 'news' } } });
 */
export function eventFields(declared: readonly string[]): EventFields {
  const flaw = eventFieldsFlaw(declared);
  if (flaw !== undefined) throw new Error(flaw);
  const fields = covering(declared);
  const paths = fields.map((field) => field.split('.'));
  const tops = new Set(paths.map((path) => path[0]!));
  tops.add('enrichment');
  const applyChanges = (
    event: TrackingEvent,
    { enrichment, changes }: FieldChanges,
    owned = new Set<unknown>(),
  ): NarrowedResult => {
    // Checked before anything is written, so that a refused answer leaves the event as it was.
    if (changes.some(([field]) => paths[field] === undefined)) {
      return { error: 'enrich answered a change of no declared field' };
    }
    const adds = enrichment !== undefined && enrichment !== null;
    if (adds && !isObject(enrichment)) {
      return { error: 'enrich returned an enrichment that is not an object' };
    }
    if (adds && Object.hasOwn(enrichment, '__proto__')) {
      return { error: 'enrich returned an enrichment key named __proto__' };
    }
    const next = (owned.has(event) ? event : { ...event }) as unknown as Record<string, unknown>;
    owned.add(next);
    for (const change of changes) {
      writePath(next, paths[change[0]]!, change.length === 1 ? undefined : change[1], owned);
    }
    if (adds) {
      const base = next.enrichment;
      if (isObject(base) && owned.has(base)) {
        Object.assign(base, enrichment);
      } else {
        const merged = mergedEnrichment(isObject(base) ? base : {}, enrichment);
        owned.add(merged);
        next.enrichment = merged;
      }
    }
    return { event: next as unknown as TrackingEvent };
  };
  const changesOf = (
    result: Record<string, unknown>,
    event?: TrackingEvent,
  ): FieldChanges | { error: string } => {
    for (const key of Object.keys(result)) {
      if (!tops.has(key)) {
        return { error: `enrich changed "${key}", which its permissions.fields do not name` };
      }
    }
    const changes: FieldChanges['changes'][number][] = [];
    paths.forEach((path, index) => {
      const value = valueAt(result, path);
      if (event !== undefined && isSamePrimitive(value, valueAt(event, path))) return;
      changes.push(value === undefined ? [index] : [index, value]);
    });
    return { enrichment: result.enrichment as FieldChanges['enrichment'], changes };
  };
  return {
    fields,
    paths,
    narrow(event) {
      const part: Record<string, unknown> = {};
      for (const path of paths) copyPath(event as unknown as Record<string, unknown>, part, path);
      return part;
    },
    apply(event, result) {
      const changes = changesOf(result);
      return 'error' in changes ? changes : applyChanges(event, changes);
    },
    changesOf,
    applyChanges,
  };
}

/** Declared fields less those a broader declared one covers (`context` covers `context.ip`). */
function covering(declared: readonly string[]): string[] {
  const unique = [...new Set(declared)];
  return unique.filter(
    (field) => !unique.some((other) => other !== field && field.startsWith(`${other}.`)),
  );
}

function copyPath(
  from: Record<string, unknown>,
  to: Record<string, unknown>,
  path: string[],
): void {
  let source: unknown = from;
  let target = to;
  for (let i = 0; i < path.length; i++) {
    if (!isObject(source) || !Object.hasOwn(source, path[i]!)) return;
    const value = source[path[i]!];
    if (i === path.length - 1) {
      target[path[i]!] = value;
      return;
    }
    if (!isObject(value)) return;
    const existing = target[path[i]!];
    target = isObject(existing) ? existing : (target[path[i]!] = {});
    source = value;
  }
}

function valueAt(from: object, path: readonly string[]): unknown {
  let value: unknown = from;
  for (const segment of path) {
    if (!isObject(value) || !Object.hasOwn(value, segment)) return undefined;
    value = value[segment];
  }
  return value;
}

/** Sets (or, for `undefined`, removes) the value at `path`, copying each object on the way once. */
function writePath(
  root: Record<string, unknown>,
  path: readonly string[],
  value: unknown,
  copied: Set<unknown>,
): void {
  let target = root;
  for (let i = 0; i < path.length - 1; i++) {
    const child = target[path[i]!];
    if (!isObject(child)) {
      if (value === undefined) return;
      const created: Record<string, unknown> = {};
      copied.add(created);
      target = target[path[i]!] = created;
    } else if (copied.has(child)) {
      target = child;
    } else {
      const copy = { ...child };
      copied.add(copy);
      target = target[path[i]!] = copy;
    }
  }
  const last = path[path.length - 1]!;
  if (value === undefined) delete target[last];
  else target[last] = value;
}

function isSamePrimitive(value: unknown, was: unknown): boolean {
  return value === was && (was === null || typeof was !== 'object');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
