import type { Types } from '@opensearch-project/opensearch';
import type {
  CollectionMapping,
  DocumentFilter,
  FieldType,
  Scalar,
  SortField,
} from '@uspa/projections';
import {
  fieldType,
  filterValue,
  searchWords,
  type FieldUse,
  type IndexedValue,
} from '../shared/document-fields.js';
import { ID_FIELD } from './opensearch-mapping.js';

/**
 * Compiles DocumentFilter, text queries and sorts to OpenSearch query DSL, with the same checks
 * and value conversions as the SQLite adapter. Dates are sent as epoch milliseconds: OpenSearch
 * would round a date-only `lte: '2024-03-01'` up to the end of that day, SQLite would not.
 */

export type Query = Types.Common_QueryDsl.QueryContainer;

/** The collection a query runs on: its name for error messages and its mapping. */
export interface QueryTarget {
  name: string;
  mapping: CollectionMapping;
}

const MATCH_ALL: Query = { match_all: {} };
const MATCH_NONE: Query = { match_none: {} };

export function compileFilter(filter: DocumentFilter, target: QueryTarget): Query {
  const field = (name: string, use: FieldUse) => {
    const type = fieldType(target.mapping, name, use, target.name);
    return { type, value: (value: Scalar): IndexedValue => filterValue(type, value, name) };
  };

  if ('and' in filter) {
    if (filter.and.length === 0) return MATCH_ALL;
    return { bool: { filter: filter.and.map((each) => compileFilter(each, target)) } };
  }
  if ('or' in filter) {
    // A bool query without clauses matches everything; an empty `or` must match nothing.
    if (filter.or.length === 0) return MATCH_NONE;
    const should = filter.or.map((each) => compileFilter(each, target));
    return { bool: { should, minimum_should_match: 1 } };
  }
  if ('not' in filter) return { bool: { must_not: [compileFilter(filter.not, target)] } };
  if ('eq' in filter) {
    const { value } = field(filter.field, 'eq');
    return { term: { [filter.field]: { value: value(filter.eq) } } };
  }
  if ('in' in filter) {
    const { value } = field(filter.field, 'in');
    if (filter.in.length === 0) return MATCH_NONE;
    return { terms: { [filter.field]: filter.in.map(value) } };
  }
  if ('range' in filter) {
    const { value } = field(filter.field, 'range');
    const bounds: Record<string, IndexedValue> = {};
    for (const bound of ['gt', 'gte', 'lt', 'lte'] as const) {
      const given = filter.range[bound];
      if (given !== undefined) bounds[bound] = value(given);
    }
    return { range: { [filter.field]: bounds } };
  }
  if ('exists' in filter) {
    field(filter.field, 'exists');
    const exists: Query = { exists: { field: filter.field } };
    return filter.exists ? exists : { bool: { must_not: [exists] } };
  }
  if ('prefix' in filter) {
    const { value } = field(filter.field, 'prefix');
    return { prefix: { [filter.field]: { value: String(value(filter.prefix)) } } };
  }
  throw new TypeError(`Unknown document filter ${JSON.stringify(filter)}`);
}

/**
 * The query of a text search: every word in at least one text field (`cross_fields` with `and`;
 * `best_fields` would want them all in one field). Undefined when the text has no words: then it
 * does not narrow the search, as in the SQLite adapter.
 */
export function compileText(text: string | undefined, target: QueryTarget): Query | undefined {
  const words = searchWords(text ?? '');
  if (words.length === 0) return undefined;
  const fields = Object.entries(target.mapping.fields)
    .filter(([, type]) => type === 'text')
    .map(([path]) => path);
  if (fields.length === 0) return MATCH_NONE;
  return {
    multi_match: { query: words.join(' '), fields, type: 'cross_fields', operator: 'and' },
  };
}

/** The sort of a search: the fields, then the id copy so the order is total. */
export function compileSort(
  sort: readonly SortField[],
  target: QueryTarget,
): Types.Common.SortCombinations[] {
  const clauses = sort.map(({ field, order }): Types.Common.SortCombinations => {
    const type = fieldType(target.mapping, field, 'sort', target.name);
    // Multi-valued fields sort by their smallest value ascending, largest descending (OpenSearch's
    // default mode, stated so that it stays so). Missing values come last either way.
    return {
      [field]: { order, mode: order === 'asc' ? 'min' : 'max', missing: missingValue(type, order) },
    };
  });
  return [...clauses, { [ID_FIELD]: { order: 'asc' } }];
}

/**
 * Where documents without a value sort. `_last`, except for dates: their missing sort value would
 * be ±2^63-1, which JSON numbers cannot carry back into `search_after`; the bounds of a
 * JavaScript Date (no parsed date lies beyond them) sort last just the same and survive JSON.
 */
function missingValue(type: FieldType, order: 'asc' | 'desc'): string | number {
  if (type !== 'date') return '_last';
  return order === 'asc' ? 8.64e15 : -8.64e15;
}
