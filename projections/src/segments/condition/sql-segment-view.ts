import type { Scalar } from './condition.js';
import { factValue } from './condition-values.js';
import type { Fact } from './segment-view.js';

/**
 * The segment view in the layout the SQL back end reads (`condition-sql.ts`), kept by the SQLite
 * document store as JSONB beside each document. Reading the document's own `facts` array means
 * a JSON scan of every fact of every profile: a trait equality over 100,000 profiles took 3.1 s
 * on the JSON bodies, 0.7 s on the facts arrays as JSONB, 0.1 s keyed by path as here (one
 * lookup per profile). Event conditions read only the group of their event name:
 *
 * ```
 * { "f": { "<path>": [values…] },                  profile facts, by path
 *   "a": { "<name or empty>": {                    activity entries, grouped by name
 *            "t": [types…], "at": [epoch ms…],      one element per entry
 *            "f": [{ "<path>": [values…] }, …] } },
 *   "s": ["<segment id>", …] }
 * ```
 */
export interface SqlSegmentView {
  f: Record<string, Scalar[]>;
  a: Record<string, { t: string[]; at: number[]; f: Record<string, Scalar[]>[] }>;
  s: string[];
}

/**
 * The SQL layout of a stored profile document's `facts`, `activity` and `segments` (the form
 * `searchDocument` writes), as the JSON text of its two parts: `{ f, s }` (facts and segments)
 * and `{ a }` (activity); malformed parts are left out. The text is written directly, without
 * building the layout's objects: a profile with a hundred activity entries has a hundred
 * small objects keyed by path, and building then serialising them took half again as long.
 * @example
 * sqlSegmentViewJson({ facts: [{ p: 'traits.plan', s: 'pro' }], activity: [], segments: ['vip'] });
 * // { facts: '{"f":{"traits.plan":["pro"]},"s":["vip"]}', activity: '{"a":{}}' }
 */
export function sqlSegmentViewJson(document: Record<string, unknown>): {
  facts: string;
  activity: string;
} {
  const groups = new Map<string, { t: string[]; at: number[]; f: string[] }>();
  for (const entry of arrayOf(document.activity)) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { t, e, at, facts } = entry as Record<string, unknown>;
    if (typeof t !== 'string' || typeof at !== 'number' || !Number.isFinite(at)) continue;
    const name = typeof e === 'string' ? e : '';
    let group = groups.get(name);
    if (group === undefined) {
      group = { t: [], at: [], f: [] };
      groups.set(name, group);
    }
    group.t.push(t);
    group.at.push(at);
    group.f.push(byPathJson(facts));
  }
  let activity = '';
  for (const [name, { t, at, f }] of groups) {
    if (activity !== '') activity += ',';
    activity += `${JSON.stringify(name)}:{"t":${JSON.stringify(t)},"at":${JSON.stringify(at)},"f":[${f.join(',')}]}`;
  }
  const segments = arrayOf(document.segments).filter((id) => typeof id === 'string');
  return {
    facts: `{"f":${byPathJson(document.facts)},"s":${JSON.stringify(segments)}}`,
    activity: `{"a":{${activity}}}`,
  };
}

/** `{ "<path>": [values…] }` of well-formed facts, paths in order of first appearance. */
function byPathJson(facts: unknown): string {
  if (!Array.isArray(facts) || facts.length === 0) return '{}';
  const paths = new Map<string, Scalar[]>();
  for (const fact of facts as unknown[]) {
    if (typeof fact !== 'object' || fact === null) continue;
    const { p } = fact as Fact;
    const value = factValue(fact as Fact);
    if (typeof p !== 'string' || !isScalar(value)) continue;
    const values = paths.get(p);
    if (values === undefined) paths.set(p, [value]);
    else values.push(value);
  }
  let json = '';
  for (const [p, values] of paths) {
    if (json !== '') json += ',';
    // Most paths hold one value: stringifying it alone skips an array walk (a fifth of the time).
    const list = values.length === 1 ? `[${JSON.stringify(values[0])}]` : JSON.stringify(values);
    json += `${quotedPath(p)}:${list}`;
  }
  return `{${json}}`;
}

/**
 * Paths repeat from entry to entry and from profile to profile: each is quoted once, then
 * looked up. Bounded; past the bound the cache starts again.
 */
const MAX_QUOTED = 20_000;
let quoted = new Map<string, string>();

function quotedPath(path: string): string {
  let json = quoted.get(path);
  if (json === undefined) {
    if (quoted.size >= MAX_QUOTED) quoted = new Map();
    json = JSON.stringify(path);
    quoted.set(path, json);
  }
  return json;
}

function isScalar(value: unknown): value is Scalar {
  return (
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

function arrayOf(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}
