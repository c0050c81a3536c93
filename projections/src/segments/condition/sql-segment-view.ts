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
 * `searchDocument` writes); malformed parts are left out.
 * @example
 * sqlSegmentView({ facts: [{ p: 'traits.plan', s: 'pro' }], activity: [], segments: ['vip'] });
 * // { f: { 'traits.plan': ['pro'] }, a: {}, s: ['vip'] }
 */
export function sqlSegmentView(document: Record<string, unknown>): SqlSegmentView {
  const groups = new Map<string, SqlSegmentView['a'][string]>();
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
    group.f.push(byPath(facts));
  }
  const segments = arrayOf(document.segments).filter((id) => typeof id === 'string');
  // fromEntries defines own properties: a name such as `__proto__` stays a plain key.
  return { f: byPath(document.facts), a: Object.fromEntries(groups), s: segments };
}

function byPath(facts: unknown): Record<string, Scalar[]> {
  // No prototype: a path such as `__proto__` is a plain key like any other.
  const paths = Object.create(null) as Record<string, Scalar[] | undefined>;
  for (const fact of arrayOf(facts)) {
    if (typeof fact !== 'object' || fact === null) continue;
    const { p } = fact as Fact;
    const value = factValue(fact as Fact);
    if (typeof p !== 'string' || !isScalar(value)) continue;
    const values = paths[p];
    if (values === undefined) paths[p] = [value];
    else values.push(value);
  }
  return paths as Record<string, Scalar[]>;
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
