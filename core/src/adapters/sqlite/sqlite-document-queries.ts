import type { Database } from 'better-sqlite3';
import type {
  Document,
  DocumentFilter,
  DocumentPage,
  DocumentQuery,
  SegmentMatch,
  SortField,
  TermsAggregationQuery,
  TermsBucket,
} from '@uspa/projections';
import { pageSize, termsSize } from '../shared/document-checks.js';
import { decodeCursor, encodeCursor, type CursorValue } from '../shared/document-cursor.js';
import { fieldType } from '../shared/document-fields.js';
import type { SqliteCollection } from './sqlite-document-catalog.js';
import { compileFilter, compileText, SqlParams } from './sqlite-document-filter.js';
import { compileSegmentMatch } from './sqlite-document-segments.js';

/**
 * Searches, counts and terms aggregations of the SQLite DocumentStore. Ordering follows
 * OpenSearch's rules so both adapters page identically: a multi-valued field sorts by its smallest
 * value ascending and its largest descending, documents without a value come last in either
 * direction, and the id (ascending) breaks ties.
 */

interface SortKey {
  /** The key of the document `d`: a correlated lookup in the values table. */
  expression: string;
  order: 'asc' | 'desc';
}

export function search(
  db: Database,
  collection: SqliteCollection,
  query: DocumentQuery,
): DocumentPage {
  const size = pageSize(query.size);
  const params = new SqlParams();
  const where = whereClause(collection, params, query.filter, query.text, query.condition);
  const keys = sortKeys(collection, query.sort ?? [], params);
  const after =
    query.after === undefined
      ? '1'
      : afterCondition(keys, decodeCursor(query.after, keys.length + 1), params);
  const keyColumns = keys.map((key, i) => `, ${key.expression} AS k${i}`).join('');
  const orderBy = (table: string) =>
    [...keys.map((key, i) => `${table}.k${i} ${key.order} NULLS LAST`), `${table}.id`].join(', ');
  // The keys are computed once per match (MATERIALIZED), the matches sorted without their
  // bodies, and only the page's rows joined to their bodies.
  const sql = `
    WITH matches AS MATERIALIZED (
      SELECT d.rid AS rid, d.id AS id${keyColumns} FROM "${collection.documents}" d WHERE ${where}
    ),
    page AS (
      SELECT * FROM matches WHERE ${after}
      ORDER BY ${orderBy('matches')} LIMIT ${params.bind(size + 1)}
    )
    SELECT page.id, b.body, (SELECT count(*) FROM matches)${keys.map((_, i) => `, page.k${i}`).join('')}
    FROM page JOIN "${collection.bodies}" b ON b.rid = page.rid
    ORDER BY ${orderBy('page')}`;
  const rows = db.prepare(sql).raw().all(params.values) as [
    string,
    string,
    number,
    ...CursorValue[],
  ][];

  const page: DocumentPage = {
    hits: rows.slice(0, size).map(([id, body]) => ({ id, document: JSON.parse(body) as Document })),
    // Counted over the matches already found, not by matching again (a segment condition
    // evaluated twice would double a preview's time); a page past the end has no row to say.
    total: rows[0]?.[2] ?? count(db, collection, query.filter, query.text, query.condition),
  };
  const last = rows[size - 1];
  if (rows.length > size && last !== undefined) {
    const [id, , , ...values] = last;
    page.next = encodeCursor([...values, id]);
  }
  return page;
}

/** Each sort field's key of the document `d`: its smallest value ascending, largest descending. */
function sortKeys(
  collection: SqliteCollection,
  sort: readonly SortField[],
  params: SqlParams,
): SortKey[] {
  return sort.map(({ field, order }) => {
    fieldType(collection.mapping, field, 'sort', collection.name);
    const ordinal = params.bind(collection.fields.get(field)!.ordinal);
    const pick = order === 'desc' ? 'max' : 'min';
    const expression = `(SELECT ${pick}(v) FROM "${collection.values}" WHERE doc = d.rid AND f = ${ordinal})`;
    return { expression, order };
  });
}

export function count(
  db: Database,
  collection: SqliteCollection,
  filter?: DocumentFilter,
  text?: string,
  condition?: SegmentMatch,
): number {
  const params = new SqlParams();
  const where = whereClause(collection, params, filter, text, condition);
  const sql = `SELECT count(*) FROM "${collection.documents}" d WHERE ${where}`;
  return db.prepare(sql).pluck().get(params.values) as number;
}

export function terms(
  db: Database,
  collection: SqliteCollection,
  query: TermsAggregationQuery,
): TermsBucket[] {
  const type = fieldType(collection.mapping, query.field, 'terms', collection.name);
  const params = new SqlParams();
  const ordinal = params.bind(collection.fields.get(query.field)!.ordinal);
  const matching =
    query.filter === undefined
      ? ''
      : `AND doc IN (SELECT d.rid FROM "${collection.documents}" d
         WHERE ${compileFilter(query.filter, collection, params)})`;
  // The values table holds each value once per document, so count(*) counts documents.
  const sql = `SELECT v, count(*) FROM "${collection.values}" WHERE f = ${ordinal} ${matching}
    GROUP BY v ORDER BY count(*) DESC, v ASC LIMIT ${params.bind(termsSize(query.size))}`;
  const rows = db.prepare(sql).raw().all(params.values) as [string | number, number][];
  return rows.map(([key, count]) => ({ key: type === 'boolean' ? key === 1 : key, count }));
}

function whereClause(
  collection: SqliteCollection,
  params: SqlParams,
  filter: DocumentFilter | undefined,
  text: string | undefined,
  match?: SegmentMatch,
): string {
  const conditions = [
    filter === undefined ? undefined : compileFilter(filter, collection, params),
    compileText(text, collection, params),
    match === undefined ? undefined : compileSegmentMatch(match, collection, params),
  ].filter((condition) => condition !== undefined);
  return conditions.length === 0 ? '1' : conditions.join(' AND ');
}

/**
 * Rows strictly after the cursor's row in the sort order (keyset paging): after it on the first
 * key, or equal on the first and after it on the next, and so on down to the id. A missing value
 * (NULL) sorts last, so nothing but other NULLs follows a NULL.
 */
function afterCondition(keys: SortKey[], cursor: CursorValue[], params: SqlParams): string {
  const alternatives: string[] = [];
  const equal: string[] = [];
  keys.forEach((key, i) => {
    const value = cursor[i] ?? null;
    const column = `k${i}`;
    if (value === null) {
      equal.push(`${column} IS NULL`);
      return;
    }
    const bound = params.bind(typeof value === 'boolean' ? Number(value) : value);
    const beyond = `${column} ${key.order === 'asc' ? '>' : '<'} ${bound}`;
    alternatives.push([...equal, `(${beyond} OR ${column} IS NULL)`].join(' AND '));
    equal.push(`${column} = ${bound}`);
  });
  alternatives.push([...equal, `id > ${params.bind(cursor[keys.length])}`].join(' AND '));
  return alternatives.map((alternative) => `(${alternative})`).join(' OR ');
}
