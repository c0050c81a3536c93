import type { Condition, EventCondition, PropertyCondition, Scalar } from './condition.js';
import { isQuotableLabel, positiveTest, type PositiveTest } from './condition-values.js';
import { countBounds, DAY_MS } from './event-matcher.js';

/**
 * The SQLite back end: a condition as an SQL expression over a profile's segment view in the
 * layout of `sql-segment-view.ts` (JSON text or JSONB), with `json_each` over the values at a
 * path. The view may come as one expression, or as two: one holding `f` and `s`, one holding
 * `a`, so that property conditions never read the (larger) activity. Values are typed by `json_each`'s `type` column, so `"1"`, `1` and `true` never meet.
 * `matchesRegex` calls `uspa_regexp(pattern, text)`, which the SQLite adapter registers (the
 * JavaScript RegExp of `toJsRegExp`), so SQL and memory match alike.
 */

export interface SqlCondition {
  /** An expression that is 1 or 0 (never NULL) for each row. */
  sql: string;
  /** Named parameters (`@c0`, …) the expression uses. */
  params: Record<string, string | number>;
}

/** The name of the SQL function the adapter registers for `matchesRegex`. */
export const SQL_REGEXP_FUNCTION = 'uspa_regexp';

/** SQL expressions yielding the view: its facts and segments (`f`, `s`) and activity (`a`). */
export interface SqlViewColumns {
  facts: string;
  activity: string;
}

/**
 * @param view an SQL expression yielding the whole view (a column, a `jsonb(?)` call), or one
 *   for each part.
 * @param prefix of the parameter names, so they cannot clash with the caller's own.
 * @example
 * toSqlCondition({ segment: 'vip' }, Date.now(), 'v.view');
 * // { sql: "EXISTS (SELECT 1 FROM json_each(v.view, '$.s') WHERE value = @c0)", params: { c0: 'vip' } }
 */
export function toSqlCondition(
  condition: Condition,
  now: number,
  view: string | SqlViewColumns,
  prefix = 'c',
): SqlCondition {
  const params: SqlCondition['params'] = {};
  let count = 0;
  const bind = (value: Scalar): string => {
    const name = `${prefix}${count++}`;
    params[name] = typeof value === 'boolean' ? Number(value) : value;
    return `@${name}`;
  };
  const columns = typeof view === 'string' ? { facts: view, activity: view } : view;
  const sql = compile(condition, { ...columns, now, bind });
  return { sql, params };
}

/**
 * Which parts of the view a condition reads: `activity` for event conditions, `facts` for the
 * others. A store keeping the parts apart joins only what is read.
 * @example
 * viewPartsRead({ segment: 'vip' }); // { facts: true, activity: false }
 */
export function viewPartsRead(condition: Condition): { facts: boolean; activity: boolean } {
  const read = { facts: false, activity: false };
  const visit = (node: Condition): void => {
    if ('and' in node) node.and.forEach(visit);
    else if ('or' in node) node.or.forEach(visit);
    else if ('not' in node) visit(node.not);
    else if ('event' in node) read.activity = true;
    else read.facts = true;
  };
  visit(condition);
  return read;
}

interface Context extends SqlViewColumns {
  now: number;
  bind: (value: Scalar) => string;
}

function compile(condition: Condition, context: Context): string {
  if ('and' in condition) return junction(condition.and, 'AND', '1', context);
  if ('or' in condition) return junction(condition.or, 'OR', '0', context);
  if ('not' in condition) return `NOT (${compile(condition.not, context)})`;
  const { facts, bind } = context;
  if ('segment' in condition) {
    return `EXISTS (SELECT 1 FROM json_each(${facts}, '$.s') WHERE value = ${bind(condition.segment)})`;
  }
  if ('event' in condition) return eventSql(condition, context);
  return propertySql(condition, facts, bind(`$.f.${label(condition.property)}`), context);
}

function junction(parts: Condition[], operator: string, empty: string, context: Context): string {
  if (parts.length === 0) return empty;
  return `(${parts.map((part) => compile(part, context)).join(` ${operator} `)})`;
}

/** A path as a quoted label of a JSON path; validation keeps `"` and `\` out of paths. */
function label(path: string): string {
  return `"${path}"`;
}

/** A property condition over the values at `path` (an SQL expression) in `json`. */
function propertySql(
  condition: PropertyCondition,
  json: string,
  path: string,
  { bind }: Context,
): string {
  const { test, negated } = positiveTest(condition);
  const positive =
    test.op === 'exists'
      ? `json_type(${json}, ${path}) IS NOT NULL`
      : `EXISTS (SELECT 1 FROM json_each(${json}, ${path}) x WHERE ${valueSql(test, bind)})`;
  return negated ? `NOT (${positive})` : positive;
}

const NUMBER = `x.type IN ('integer', 'real')`;
const TEXT = `x.type = 'text'`;

/**
 * The value to compare: numbers as doubles. JSON writes a double beyond 2^53 as an integer
 * (2^60 as 1152921504606847000), which SQLite reads as that exact 64-bit integer, unequal to
 * the double; `+ 0.0` turns it back into the double, as JavaScript and OpenSearch read it.
 */
function compared(value: Scalar): string {
  return typeof value === 'number' ? '(x.value + 0.0)' : 'x.value';
}

function typed(value: Scalar): string {
  if (typeof value === 'string') return TEXT;
  if (typeof value === 'number') return NUMBER;
  return `x.type = '${value ? 'true' : 'false'}'`;
}

function valueSql(test: Exclude<PositiveTest, { op: 'exists' }>, bind: Context['bind']): string {
  const SQL_OPERATOR = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;
  switch (test.op) {
    case 'equals':
      if (typeof test.value === 'boolean') return typed(test.value);
      return `${typed(test.value)} AND ${compared(test.value)} = ${bind(test.value)}`;
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return `${typed(test.value)} AND ${compared(test.value)} ${SQL_OPERATOR[test.op]} ${bind(test.value)}`;
    case 'between': {
      const [low, high] = test.value;
      return `${typed(low)} AND ${compared(low)} BETWEEN ${bind(low)} AND ${bind(high)}`;
    }
    case 'contains':
      return `${TEXT} AND instr(x.value, ${bind(test.value)}) > 0`;
    case 'startsWith': {
      const length = bind(Array.from(test.value).length);
      return `${TEXT} AND substr(x.value, 1, ${length}) = ${bind(test.value)}`;
    }
    case 'endsWith': {
      // SQLite's length and substr count characters (code points), as Array.from does.
      const length = bind(Array.from(test.value).length);
      return `${TEXT} AND length(x.value) >= ${length} AND substr(x.value, length(x.value) - ${length} + 1) = ${bind(test.value)}`;
    }
    case 'matchesRegex':
      return `${TEXT} AND ${SQL_REGEXP_FUNCTION}(${bind(test.value)}, x.value)`;
    case 'in': {
      const strings = test.value.filter((value) => typeof value === 'string');
      const numbers = test.value.filter((value) => typeof value === 'number');
      const booleans = new Set(test.value.filter((value) => typeof value === 'boolean'));
      const alternatives: string[] = [];
      const list = (values: Scalar[]) => values.map(bind).join(', ');
      if (strings.length > 0) alternatives.push(`(${TEXT} AND x.value IN (${list(strings)}))`);
      if (numbers.length > 0) {
        alternatives.push(`(${NUMBER} AND (x.value + 0.0) IN (${list(numbers)}))`);
      }
      for (const value of booleans) alternatives.push(typed(value));
      return `(${alternatives.join(' OR ')})`;
    }
  }
}

/**
 * Counts the entries of the activity group(s) that match, stopping at the count that decides
 * (`LIMIT`). Groups are keyed by event name, so a named event reads its own entries only: by
 * path when the name can be a quoted label (30% faster), else by comparing group keys.
 */
function eventSql({ event }: EventCondition, context: Context): string {
  const { bind, activity, now } = context;
  const { min, max } = countBounds({ event });
  if (min === 0 && max === undefined) return '1';
  const where: string[] = [];
  // `json` holds the entry's group at `group` (a JSON path as SQL), e.key is the entry's index.
  let source: string;
  let json: string;
  let group: string;
  if (event.name !== undefined && isQuotableLabel(event.name)) {
    const path = `$.a.${label(event.name)}`;
    [json, group] = [activity, bind(path)];
    source = `json_each(${activity}, ${bind(`${path}.at`)}) e`;
  } else {
    [json, group] = ['g.value', `'$'`];
    source = `jsonb_each(${activity}, '$.a') g, json_each(g.value, '$.at') e`;
    if (event.name !== undefined) where.push(`g.key = ${bind(event.name)}`);
  }
  const within = event.within;
  if (within !== undefined && 'lastDays' in within) {
    where.push(`e.value >= ${bind(now - within.lastDays * DAY_MS)}`);
  } else if (within !== undefined) {
    where.push(
      `e.value BETWEEN ${bind(Date.parse(within.from))} AND ${bind(Date.parse(within.to))}`,
    );
  }
  const element = `'[' || e.key || ']'`;
  if (event.type !== undefined) {
    where.push(`${json} ->> (${group} || '.t' || ${element}) = ${bind(event.type)}`);
  }
  for (const part of event.where ?? []) {
    const path = `(${group} || '.f' || ${element} || '.' || ${bind(label(part.property))})`;
    where.push(propertySql(part, json, path, context));
  }
  const matching = `FROM ${source} WHERE ${where.length === 0 ? '1' : where.join(' AND ')}`;
  if (max === undefined && min === 1) return `EXISTS (SELECT 1 ${matching})`;
  const limit = bind(max === undefined ? min : max + 1);
  const counted = `(SELECT count(*) FROM (SELECT 1 ${matching} LIMIT ${limit}))`;
  if (max === undefined) return `${counted} >= ${bind(min)}`;
  return `${counted} BETWEEN ${bind(min)} AND ${bind(max)}`;
}
