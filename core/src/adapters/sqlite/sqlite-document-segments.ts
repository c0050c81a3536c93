import type { Database } from 'better-sqlite3';
import {
  SQL_REGEXP_FUNCTION,
  toJsRegExp,
  toSqlCondition,
  viewPartsRead,
  type SegmentMatch,
} from '@uspa/projections';
import { checkSegmentMatch } from '../shared/document-segment-checks.js';
import type { SqliteCollection } from './sqlite-document-catalog.js';
import type { SqlParams } from './sqlite-document-filter.js';

/**
 * Segment conditions on the SQLite DocumentStore: compiled by projections' `toSqlCondition`
 * over the JSONB segment view kept beside each document (`document_<n>_facts` and
 * `document_<n>_activity`; a condition reads only the tables it needs).
 */

/** The condition a document `d` must meet to match the segment condition. */
export function compileSegmentMatch(
  match: SegmentMatch,
  collection: SqliteCollection,
  params: SqlParams,
): string {
  const { condition, now } = checkSegmentMatch(collection.mapping, collection.name, match);
  const columns = { facts: 'vf.view', activity: 'va.view' };
  const { sql, params: values } = toSqlCondition(condition, now, columns, 'c');
  Object.assign(params.values, values);
  const { facts, activity } = collection.views!;
  const read = viewPartsRead(condition);
  let from = `"${facts}" vf`;
  if (read.activity) {
    from = read.facts ? `${from} JOIN "${activity}" va ON va.rid = vf.rid` : `"${activity}" va`;
  }
  const rid = read.activity && !read.facts ? 'va.rid' : 'vf.rid';
  return `EXISTS (SELECT 1 FROM ${from} WHERE ${rid} = d.rid AND (${sql}))`;
}

/** Compiled patterns by source; patterns come from checked conditions, so few distinct ones. */
const MAX_CACHED_PATTERNS = 500;

/**
 * Registers `uspa_regexp(pattern, text)`: 1 when the JavaScript RegExp of the pattern (the
 * portable subset, `toJsRegExp`) finds a match in the text, else 0; NULL text is 0.
 * @example
 * registerRegexpFunction(db);
 * db.prepare("SELECT uspa_regexp('^ab', 'abc')").pluck().get(); // 1
 */
export function registerRegexpFunction(db: Database): void {
  const cache = new Map<string, RegExp>();
  db.function(SQL_REGEXP_FUNCTION, { deterministic: true }, (pattern: unknown, text: unknown) => {
    if (typeof pattern !== 'string' || typeof text !== 'string') return 0;
    let regex = cache.get(pattern);
    if (regex === undefined) {
      if (cache.size >= MAX_CACHED_PATTERNS) cache.clear();
      regex = toJsRegExp(pattern);
      cache.set(pattern, regex);
    }
    return regex.test(text) ? 1 : 0;
  });
}
