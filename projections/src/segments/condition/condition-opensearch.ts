import type { Condition, EventCondition, PropertyCondition, Scalar } from './condition.js';
import { positiveTest, type PositiveTest } from './condition-values.js';
import { countBounds, DAY_MS } from './event-matcher.js';
import { toLuceneRegexp } from './regex-translation.js';

/**
 * The OpenSearch back end: a condition as query DSL over the profile document's segment view,
 * `facts` and `activity` being nested documents (activity entries with nested `facts` of their
 * own) and `segments` a keyword field. Meant for filter context.
 *
 * Counts: a `nested` query with `score_mode: sum` over entries scoring exactly 1 each
 * (`constant_score`) scores a profile with its number of matching entries, and `function_score`
 * with `min_score: n` keeps the profiles with at least n; "at most m" is "not at least m + 1".
 * `min_score` holds in filter and `must_not` context too (verified on OpenSearch 2.19).
 */

export type OpenSearchQuery = Record<string, unknown>;

const MATCH_ALL: OpenSearchQuery = { match_all: {} };
const MATCH_NONE: OpenSearchQuery = { match_none: {} };

/**
 * @example
 * toOpenSearchQuery({ segment: 'vip' }, Date.now()); // { term: { segments: 'vip' } }
 */
export function toOpenSearchQuery(condition: Condition, now: number): OpenSearchQuery {
  if ('and' in condition) {
    if (condition.and.length === 0) return MATCH_ALL;
    return { bool: { filter: condition.and.map((part) => toOpenSearchQuery(part, now)) } };
  }
  if ('or' in condition) {
    if (condition.or.length === 0) return MATCH_NONE;
    const should = condition.or.map((part) => toOpenSearchQuery(part, now));
    return { bool: { should, minimum_should_match: 1 } };
  }
  if ('not' in condition) return not(toOpenSearchQuery(condition.not, now));
  if ('segment' in condition) return { term: { segments: condition.segment } };
  if ('event' in condition) return eventQuery(condition, now);
  return propertyQuery(condition, 'facts');
}

function not(query: OpenSearchQuery): OpenSearchQuery {
  return { bool: { must_not: [query] } };
}

/** A property condition over the facts at `nestedPath` (`facts` or `activity.facts`). */
function propertyQuery(condition: PropertyCondition, nestedPath: string): OpenSearchQuery {
  const { test, negated } = positiveTest(condition);
  const filter: OpenSearchQuery[] = [{ term: { [`${nestedPath}.p`]: condition.property } }];
  const value = valueQuery(test, nestedPath);
  if (value !== undefined) filter.push(value);
  const query = { nested: { path: nestedPath, query: { bool: { filter } } } };
  return negated ? not(query) : query;
}

function valueQuery(test: PositiveTest, path: string): OpenSearchQuery | undefined {
  const field = (value: Scalar) =>
    `${path}.${typeof value === 'string' ? 's' : typeof value === 'number' ? 'n' : 'b'}`;
  switch (test.op) {
    case 'exists':
      return undefined;
    case 'equals':
      return { term: { [field(test.value)]: test.value } };
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return { range: { [field(test.value)]: { [test.op]: test.value } } };
    case 'between': {
      const [low, high] = test.value;
      return { range: { [field(low)]: { gte: low, lte: high } } };
    }
    case 'startsWith':
      return { prefix: { [`${path}.s`]: { value: test.value } } };
    case 'contains':
      return { wildcard: { [`${path}.s`]: { value: `*${wildcardLiteral(test.value)}*` } } };
    case 'endsWith':
      return { wildcard: { [`${path}.s`]: { value: `*${wildcardLiteral(test.value)}` } } };
    case 'matchesRegex': {
      // Ten times Lucene's default effort: unanchored patterns (`.*` on both sides) with a
      // bounded repeat, such as `a.{12}`, need it; the subset keeps the automaton small.
      const value = toLuceneRegexp(test.value);
      return { regexp: { [`${path}.s`]: { value, max_determinized_states: 100_000 } } };
    }
    case 'in': {
      const byField = new Map<string, Scalar[]>();
      for (const value of test.value) {
        const values = byField.get(field(value)) ?? [];
        values.push(value);
        byField.set(field(value), values);
      }
      const should = [...byField].map(([name, values]) => ({ terms: { [name]: values } }));
      return should.length === 1 ? should[0] : { bool: { should, minimum_should_match: 1 } };
    }
  }
}

/** `*`, `?` and `\` are the wildcard query's syntax; `\` escapes them. */
function wildcardLiteral(value: string): string {
  return value.replace(/[*?\\]/g, (char) => `\\${char}`);
}

function eventQuery({ event }: EventCondition, now: number): OpenSearchQuery {
  const { min, max } = countBounds({ event });
  if (min === 0 && max === undefined) return MATCH_ALL;
  const entry: OpenSearchQuery[] = [];
  if (event.type !== undefined) entry.push({ term: { 'activity.t': event.type } });
  if (event.name !== undefined) entry.push({ term: { 'activity.e': event.name } });
  const within = event.within;
  if (within !== undefined && 'lastDays' in within) {
    entry.push({ range: { 'activity.at': { gte: now - within.lastDays * DAY_MS } } });
  } else if (within !== undefined) {
    const window = { gte: Date.parse(within.from), lte: Date.parse(within.to) };
    entry.push({ range: { 'activity.at': window } });
  }
  for (const part of event.where ?? []) entry.push(propertyQuery(part, 'activity.facts'));
  const matching: OpenSearchQuery = entry.length === 0 ? MATCH_ALL : { bool: { filter: entry } };
  const clauses: OpenSearchQuery[] = [];
  if (min > 0) clauses.push(atLeast(matching, min));
  if (max !== undefined) clauses.push(not(atLeast(matching, max + 1)));
  return clauses.length === 1 ? clauses[0]! : { bool: { filter: clauses } };
}

function atLeast(entry: OpenSearchQuery, count: number): OpenSearchQuery {
  if (count === 1) return { nested: { path: 'activity', query: entry, score_mode: 'none' } };
  const scored = { constant_score: { filter: entry, boost: 1 } };
  return {
    function_score: {
      query: { nested: { path: 'activity', query: scored, score_mode: 'sum' } },
      min_score: count,
    },
  };
}
