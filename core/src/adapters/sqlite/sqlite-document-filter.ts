import type { DocumentFilter, Scalar } from '@uspa/projections';
import { fieldType, filterValue, searchWords, type FieldUse } from '../shared/document-fields.js';
import type { IndexedValue } from '../shared/document-fields.js';
import type { SqliteCollection } from './sqlite-document-catalog.js';
import { prefixUpperBound } from './sqlite-prefix-bound.js';

/**
 * Compiles DocumentFilter and text queries to SQL conditions over a collection's documents (`d`).
 * Every value is a bound parameter; identifiers come from the catalog (`document_<n>`), never
 * from the caller. A leaf condition is `d.rid IN (rows of the values table)`: an index range scan
 * on `(f, v, doc)`, matching when any element of an array field matches.
 */

/** Named parameters collected while compiling one statement. */
export class SqlParams {
  readonly values: Record<string, unknown> = {};
  #count = 0;

  /** Binds `value` and returns its placeholder. */
  bind(value: unknown): string {
    const name = `p${this.#count++}`;
    this.values[name] = value;
    return `@${name}`;
  }
}

/** SQLite has no booleans: better-sqlite3 refuses them, and the values table stores 1 and 0. */
export function sqlValue(value: IndexedValue): string | number {
  return typeof value === 'boolean' ? Number(value) : value;
}

/** The condition a document must meet to match `filter`. */
export function compileFilter(
  filter: DocumentFilter,
  collection: SqliteCollection,
  params: SqlParams,
): string {
  const values = (field: string, use: FieldUse, condition?: (field: FieldRef) => string) => {
    const type = fieldType(collection.mapping, field, use, collection.name);
    const ordinal = collection.fields.get(field)!.ordinal;
    const ref: FieldRef = {
      bind: (value) => params.bind(sqlValue(filterValue(type, value, field))),
    };
    const where = condition === undefined ? '' : ` AND ${condition(ref)}`;
    return `d.rid IN (SELECT doc FROM "${collection.values}" WHERE f = ${params.bind(ordinal)}${where})`;
  };

  if ('and' in filter) return junction(filter.and, 'AND', '1', collection, params);
  if ('or' in filter) return junction(filter.or, 'OR', '0', collection, params);
  if ('not' in filter) return `NOT (${compileFilter(filter.not, collection, params)})`;
  if ('eq' in filter) return values(filter.field, 'eq', (ref) => `v = ${ref.bind(filter.eq)}`);
  if ('in' in filter) {
    // An empty list matches nothing, as an OpenSearch `terms` query with no terms does.
    if (filter.in.length === 0) return '0';
    return values(
      filter.field,
      'in',
      (ref) => `v IN (${filter.in.map((value) => ref.bind(value)).join(', ')})`,
    );
  }
  if ('range' in filter) {
    const { gt, gte, lt, lte } = filter.range;
    return values(filter.field, 'range', (ref) => {
      const bounds: string[] = ['1'];
      if (gt !== undefined) bounds.push(`v > ${ref.bind(gt)}`);
      if (gte !== undefined) bounds.push(`v >= ${ref.bind(gte)}`);
      if (lt !== undefined) bounds.push(`v < ${ref.bind(lt)}`);
      if (lte !== undefined) bounds.push(`v <= ${ref.bind(lte)}`);
      return bounds.join(' AND ');
    });
  }
  if ('exists' in filter) {
    const condition = values(filter.field, 'exists');
    return filter.exists ? condition : `NOT (${condition})`;
  }
  if ('prefix' in filter) {
    return values(filter.field, 'prefix', (ref) => {
      const upper = prefixUpperBound(filter.prefix);
      return `v >= ${ref.bind(filter.prefix)} AND v < ${params.bind(upper)}`;
    });
  }
  throw new TypeError(`Unknown document filter ${JSON.stringify(filter)}`);
}

interface FieldRef {
  /** Binds a filter value converted as the field indexes it. */
  bind(value: Scalar): string;
}

function junction(
  filters: readonly DocumentFilter[],
  operator: 'AND' | 'OR',
  empty: string,
  collection: SqliteCollection,
  params: SqlParams,
): string {
  if (filters.length === 0) return empty;
  return `(${filters.map((filter) => compileFilter(filter, collection, params)).join(` ${operator} `)})`;
}

/**
 * The condition of a text query, or undefined when it has no words (then it does not narrow the
 * search, on OpenSearch neither). Each word is quoted, so user text is never FTS5 syntax: `OR`,
 * `*`, `"` and `NEAR(` are plain words or separators; all words must occur.
 */
export function compileText(
  text: string | undefined,
  collection: SqliteCollection,
  params: SqlParams,
): string | undefined {
  const words = searchWords(text ?? '');
  if (words.length === 0) return undefined;
  if (collection.text === undefined) return '0';
  const match = words.map((word) => `"${word.replaceAll('"', '""')}"`).join(' ');
  return `d.rid IN (SELECT rowid FROM "${collection.text}" WHERE "${collection.text}" MATCH ${params.bind(match)})`;
}
