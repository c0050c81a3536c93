import { memoOn } from '../../runtime/memo-on.js';
import type { ViewScope } from './view-scope.js';

/**
 * The segment view: a profile flattened into what conditions read, the same for the three back
 * ends. The in-memory evaluator reads it directly; the profile document stores it (`facts`,
 * `activity`, `segments`), where OpenSearch indexes `facts` and `activity` as nested documents
 * and SQLite keeps a compact copy (`sql-segment-view.ts`).
 */

/** One scalar of the profile at a dotted path; exactly one of `s`, `n` and `b` is set. */
export interface Fact {
  p: string;
  s?: string;
  n?: number;
  b?: boolean;
}

/** One activity entry: type, name, time (epoch ms) and its properties as `properties.*` facts. */
export interface ActivityFacts {
  t: string;
  e?: string;
  at: number;
  facts: Fact[];
}

export interface SegmentView {
  facts: Fact[];
  activity: ActivityFacts[];
  /** Ids of the segments the profile is in; a Set, so evaluating memberships can update it. */
  segments: Set<string>;
}

/** The profile fields a view reads; a {@link Profile} is one. */
export interface ProfileLike {
  traits?: unknown;
  computed?: unknown;
  geo?: unknown;
  device?: unknown;
  ecommerce?: unknown;
  counters?: unknown;
  sessions?: unknown;
  firstSeen?: unknown;
  lastSeen?: unknown;
  groups?: unknown;
  identifiers?: unknown;
  activity?: unknown;
  segments?: unknown;
}

/** Roots of the profile's facts, in the order they are read. */
export const FACT_ROOTS = [
  'traits',
  'computed',
  'geo',
  'device',
  'ecommerce',
  'counters',
  'sessions',
  'firstSeen',
  'lastSeen',
  'groups',
  'identifiers',
] as const;

/** Strings are cut to this many UTF-16 units (never inside a surrogate pair). */
export const MAX_FACT_STRING = 256;
/** Facts longer paths than this are left out: no condition can name them. */
export const MAX_FACT_PATH = 256;
/**
 * Caps that keep one profile under OpenSearch's 10,000 nested documents per document
 * (`index.mapping.nested_objects.limit`): what lies beyond them is left out of the view, so
 * every back end sees the same.
 */
export const MAX_PROFILE_FACTS = 1000;
export const MAX_ACTIVITY_ENTRIES = 100;
export const MAX_ENTRY_FACTS = 50;
const MAX_NESTING = 16;

/**
 * The segment view of a profile.
 * @example
 * segmentView({ traits: { plan: 'pro', tags: ['a', 'b'] }, segments: ['vip'] }).facts;
 * // [{ p: 'traits.plan', s: 'pro' }, { p: 'traits.tags', s: 'a' }, { p: 'traits.tags', s: 'b' }]
 */
export function segmentView(profile: ProfileLike, scope?: ViewScope): SegmentView {
  const facts = scope === undefined ? allFacts(profile) : scopedFacts(profile, scope);
  const entries = Array.isArray(profile.activity) ? profile.activity : [];
  const activity: ActivityFacts[] = [];
  const names = scope?.activity;
  // Newest last in the profile: the newest entries are the ones kept.
  if (names !== 'none') {
    for (const entry of entries.slice(-MAX_ACTIVITY_ENTRIES)) {
      if (names instanceof Set && !names.has(entryName(entry))) continue;
      const viewed = activityFacts(entry);
      if (viewed !== undefined) activity.push(viewed);
    }
  }
  const segments = Array.isArray(profile.segments) ? profile.segments : [];
  return {
    facts,
    activity,
    segments: new Set(segments.filter((id): id is string => typeof id === 'string')),
  };
}

function allFacts(profile: ProfileLike): Fact[] {
  const facts: Fact[] = [];
  const state = { count: 0 };
  for (const root of FACT_ROOTS)
    collectFacts(profile[root], root, facts, MAX_PROFILE_FACTS, 0, state);
  return facts;
}

/** An entry's name as its view holds it (`e`), '' when it has none. */
function entryName(entry: unknown): string {
  const name =
    typeof entry === 'object' && entry !== null ? (entry as { name?: unknown }).name : '';
  return typeof name === 'string' && name !== '' ? viewString(name) : '';
}

/**
 * The facts of the whole view at the paths of `scope`, and only those. Everything else is
 * counted, not built, so that the cap on a profile's facts cuts exactly where it cuts the whole
 * view: a scoped view never holds a fact the whole view leaves out.
 */
function scopedFacts(profile: ProfileLike, { paths }: ViewScope): Fact[] {
  const facts: Fact[] = [];
  if (paths.size === 0) return facts;
  const through = new Set<string>();
  for (const path of paths) {
    for (let dot = path.indexOf('.'); dot > 0; dot = path.indexOf('.', dot + 1)) {
      through.add(path.slice(0, dot));
    }
  }
  const state = { count: 0 };
  for (const root of FACT_ROOTS) {
    if (paths.has(root) || through.has(root)) {
      collectFacts(profile[root], root, facts, MAX_PROFILE_FACTS, 0, state, { paths, through });
    } else {
      countFacts(profile[root], root.length, 0, state);
    }
  }
  return facts;
}

/**
 * Where an activity entry keeps its view once built (see {@link memoOn}): entries are never
 * changed once recorded, and every change to a profile views all of its activity again, for its
 * memberships and for its search document. For a profile with a hundred entries that was most of
 * the view's cost.
 */
const VIEWED = Symbol('activity entry view');

function activityFacts(entry: unknown): ActivityFacts | undefined {
  if (typeof entry !== 'object' || entry === null) return undefined;
  return memoOn(entry as Record<string, unknown>, VIEWED, entryView);
}

function entryView(entry: Record<string, unknown>): ActivityFacts | undefined {
  const { type, name, at, properties } = entry;
  const time = typeof at === 'string' ? timeOf(at) : typeof at === 'number' ? at : NaN;
  if (typeof type !== 'string' || !Number.isFinite(time)) return undefined;
  const viewed: ActivityFacts = { t: viewString(type), at: time, facts: propertyFacts(properties) };
  if (typeof name === 'string' && name !== '') viewed.e = viewString(name);
  return viewed;
}

/**
 * {@link collectFacts} of an entry's properties, which the profile keeps as top-level scalars
 * and lists of them: those become facts here, without a call per value; anything deeper (an
 * entry stored otherwise) takes the general walk, which counts towards the same cap.
 */
function propertyFacts(properties: unknown): Fact[] {
  const facts: Fact[] = [];
  const state = { count: 0 };
  if (typeof properties !== 'object' || properties === null || Array.isArray(properties)) {
    collectFacts(properties, 'properties', facts, MAX_ENTRY_FACTS, 0, state);
    return facts;
  }
  const record = properties as Record<string, unknown>;
  const keys = Object.keys(record);
  for (let i = 0; i < keys.length && state.count < MAX_ENTRY_FACTS; i++) {
    const key = keys[i]!;
    const value = record[key];
    const path = childPath('properties', key);
    if (typeof value === 'object' || path.length > MAX_FACT_PATH) {
      collectFacts(value, path, facts, MAX_ENTRY_FACTS, 1, state);
      continue;
    }
    const fact = factOf(path, value);
    if (fact !== undefined) {
      facts.push(fact);
      state.count++;
    }
  }
  return facts;
}

interface Wanted {
  paths: ReadonlySet<string>;
  through: ReadonlySet<string>;
}

/**
 * The scalar leaves under `path` as facts, while `state.count` (facts so far) is under `cap`.
 * With `wanted`, only leaves at its paths are built; the others are counted.
 */
function collectFacts(
  value: unknown,
  path: string,
  facts: Fact[],
  cap: number,
  depth: number,
  state: { count: number },
  wanted?: Wanted,
) {
  if (state.count >= cap || value === null || value === undefined) return;
  if (Array.isArray(value)) {
    for (const element of value) collectFacts(element, path, facts, cap, depth, state, wanted);
  } else if (typeof value === 'object') {
    if (depth >= MAX_NESTING) return;
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const child = childPath(path, key);
      if (wanted === undefined || wanted.paths.has(child) || wanted.through.has(child)) {
        collectFacts(record[key], child, facts, cap, depth + 1, state, wanted);
      } else {
        countFacts(record[key], child.length, depth + 1, state, cap);
      }
    }
  } else if (path.length <= MAX_FACT_PATH) {
    if (wanted !== undefined && !wanted.paths.has(path)) {
      if (isFactValue(value)) state.count++;
      return;
    }
    const fact = factOf(path, value);
    if (fact !== undefined) {
      facts.push(fact);
      state.count++;
    }
  }
}

/** What {@link collectFacts} would add to `state.count`, without building a thing. */
function countFacts(
  value: unknown,
  pathLength: number,
  depth: number,
  state: { count: number },
  cap = MAX_PROFILE_FACTS,
): void {
  if (state.count >= cap || value === null || value === undefined) return;
  if (Array.isArray(value)) {
    for (const element of value) countFacts(element, pathLength, depth, state, cap);
  } else if (typeof value === 'object') {
    if (depth >= MAX_NESTING) return;
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      countFacts(record[key], pathLength + 1 + key.length, depth + 1, state, cap);
    }
  } else if (pathLength <= MAX_FACT_PATH && isFactValue(value)) {
    state.count++;
  }
}

/** A leaf {@link factOf} turns into a fact. */
function isFactValue(value: unknown): boolean {
  return (
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

/**
 * Paths repeat from profile to profile and from change to change: each is built once and then
 * looked up. Every view of every profile change walks them, and building `traits.email` anew
 * each time, then scanning it for unstorable characters, cost more than the rest of the walk.
 * The cache is bounded; past the bound it starts again.
 */
const MAX_CACHED = 20_000;
let paths = new Map<string, Map<string, string>>();
let cachedPaths = 0;

/** `path.key`, well-formed (a path is well-formed when each of its keys is). */
function childPath(path: string, key: string): string {
  let children = paths.get(path);
  let child = children?.get(key);
  if (child !== undefined) return child;
  if (cachedPaths >= MAX_CACHED) {
    paths = new Map();
    cachedPaths = 0;
    children = undefined;
  }
  if (children === undefined) {
    children = new Map();
    paths.set(path, children);
  }
  child = wellFormed(`${path}.${key}`);
  children.set(key, child);
  cachedPaths++;
  return child;
}

/**
 * Epoch ms of an activity time. Times are ISO strings as `toISOString` writes them: those are
 * read digit by digit (a `Date.parse` per entry of every view was a tenth of the view's cost);
 * anything else, or a day or hour near a boundary where parsers roll over, goes to `Date.parse`.
 */
function timeOf(at: string): number {
  if (at.length !== 24 || at.charCodeAt(23) !== 90 /* Z */) return Date.parse(at);
  const year = digits(at, 0, 4);
  const month = digits(at, 5, 2);
  const day = digits(at, 8, 2);
  const hour = digits(at, 11, 2);
  const minute = digits(at, 14, 2);
  const second = digits(at, 17, 2);
  const ms = digits(at, 20, 3);
  if (
    at[4] !== '-' ||
    at[7] !== '-' ||
    at[10] !== 'T' ||
    at[13] !== ':' ||
    at[16] !== ':' ||
    at[19] !== '.' ||
    // Date.UTC reads years 0–99 as 1900–1999.
    year < 1000 ||
    ms < 0 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > 28 ||
    hour < 0 ||
    hour > 23 ||
    minute < 0 ||
    minute > 59 ||
    second < 0 ||
    second > 59
  ) {
    return Date.parse(at);
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}

/** The number written by `length` ASCII digits from `start`, or -1 when one is not a digit. */
function digits(text: string, start: number, length: number): number {
  let value = 0;
  for (let i = start; i < start + length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

function factOf(p: string, value: unknown): Fact | undefined {
  if (typeof value === 'string') return { p, s: viewString(value) };
  // -0 is 0 (JSON cannot tell them apart); NaN and infinities cannot be stored.
  if (typeof value === 'number') return Number.isFinite(value) ? { p, n: value + 0 } : undefined;
  if (typeof value === 'boolean') return { p, b: value };
  return undefined;
}

/** A string as views hold it: cut to {@link MAX_FACT_STRING} and well-formed. */
export function viewString(value: string): string {
  let cut = value;
  if (cut.length > MAX_FACT_STRING) {
    cut = cut.slice(0, MAX_FACT_STRING);
    const last = cut.charCodeAt(MAX_FACT_STRING - 1);
    if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  }
  return wellFormed(cut);
}

// Lone surrogates cannot be stored as UTF-8 (SQLite, OpenSearch); NUL ends strings in some of
// SQLite's string functions. Both become U+FFFD, and conditions may not contain them.
const UNSTORABLE = /[\0\p{Cs}]/u;
const EVERY_UNSTORABLE = /[\0\p{Cs}]/gu;

function wellFormed(value: string): string {
  // Two native scans first: they run on every string of every profile change, and find nothing.
  if (value.isWellFormed() && !value.includes('\0')) return value;
  return value.replace(EVERY_UNSTORABLE, '\uFFFD');
}

/** Whether a condition's string can be stored as is (no lone surrogate, no NUL). */
export function isStorable(value: string): boolean {
  return !UNSTORABLE.test(value);
}
