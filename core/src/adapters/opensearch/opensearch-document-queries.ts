import { errors, type Client, type Types } from '@opensearch-project/opensearch';
import {
  toOpenSearchQuery,
  type Document,
  type DocumentFilter,
  type DocumentPage,
  type DocumentQuery,
  type SegmentMatch,
  type TermsAggregationQuery,
  type TermsBucket,
} from '@uspa/projections';
import { ValidationError } from '../../errors/index.js';
import { pageSize, termsSize } from '../shared/document-checks.js';
import { decodeCursor, encodeCursor, type CursorValue } from '../shared/document-cursor.js';
import { fieldType } from '../shared/document-fields.js';
import { checkSegmentMatch } from '../shared/document-segment-checks.js';
import {
  compileFilter,
  compileSort,
  compileText,
  type Query,
  type QueryTarget,
} from './opensearch-document-filter.js';

/**
 * Searches, counts and terms aggregations of the OpenSearch DocumentStore, on one concrete index
 * whose mapping the caller has read (see `OpenSearchDocumentStore`).
 */

/** The index a query runs on, and the collection mapping stored in it. */
export interface SearchTarget extends QueryTarget {
  index: string;
}

export async function search(
  client: Client,
  target: SearchTarget,
  query: DocumentQuery,
): Promise<DocumentPage> {
  const size = pageSize(query.size);
  const sort = compileSort(query.sort ?? [], target);
  const after = query.after === undefined ? undefined : decodeCursor(query.after, sort.length);
  const { body } = await refusingComplexPatterns(
    client.search({
      index: target.index,
      body: {
        query: compileQuery(target, query.filter, query.text, query.condition),
        sort,
        // One more than asked: whether it comes back tells if there is a next page.
        size: size + 1,
        // Sort values as OpenSearch returned them, `null` for a missing keyword included.
        search_after: after as Types.Common.SortResults | undefined,
        track_total_hits: true,
      },
    }),
  );
  const { hits, total } = body.hits;
  const page: DocumentPage = {
    hits: hits.slice(0, size).map((hit) => ({ id: hit._id!, document: hit._source as Document })),
    total: typeof total === 'number' ? total : (total?.value ?? 0),
  };
  const last = hits[size - 1];
  if (hits.length > size && last?.sort !== undefined) {
    page.next = encodeCursor(last.sort as CursorValue[]);
  }
  return page;
}

export async function count(
  client: Client,
  target: SearchTarget,
  filter?: DocumentFilter,
  condition?: SegmentMatch,
): Promise<number> {
  const { body } = await refusingComplexPatterns(
    client.count({
      index: target.index,
      body: { query: compileQuery(target, filter, undefined, condition) },
    }),
  );
  return body.count;
}

export async function terms(
  client: Client,
  target: SearchTarget,
  query: TermsAggregationQuery,
): Promise<TermsBucket[]> {
  const size = termsSize(query.size);
  const type = fieldType(target.mapping, query.field, 'terms', target.name);
  // The client's generated types lack the `field` of a terms aggregation; the API has it.
  const terms: Types.Common_Aggregations.TermsAggregationFields & { field: string } = {
    field: query.field,
    size,
    order: [{ _count: 'desc' }, { _key: 'asc' }],
  };
  const { body } = await client.search({
    index: target.index,
    body: { size: 0, query: compileQuery(target, query.filter), aggs: { terms: { terms } } },
  });
  const { buckets } = body.aggregations?.terms as { buckets: TermsResponseBucket[] };
  return buckets.map((bucket) => ({
    // Booleans come back as 1 and 0, with `key_as_string` "true" and "false".
    key: type === 'boolean' ? bucket.key_as_string === 'true' : bucket.key,
    count: bucket.doc_count,
  }));
}

interface TermsResponseBucket {
  key: string | number;
  key_as_string?: string;
  doc_count: number;
}

function compileQuery(
  target: QueryTarget,
  filter?: DocumentFilter,
  text?: string,
  match?: SegmentMatch,
): Query {
  const clauses = [
    filter === undefined ? undefined : compileFilter(filter, target),
    compileText(text, target),
    match === undefined ? undefined : compileCondition(target, match),
  ].filter((clause) => clause !== undefined);
  // Filter context: no scores, since results are sorted by fields and id.
  return clauses.length === 0 ? { match_all: {} } : { bool: { filter: clauses } };
}

function compileCondition(target: QueryTarget, match: SegmentMatch): Query {
  const { condition, now } = checkSegmentMatch(target.mapping, target.name, match);
  // The DSL is built in projections, without the client's types; it is the same JSON.
  return toOpenSearchQuery(condition, now);
}

/**
 * A `matchesRegex` pattern whose automaton Lucene will not build is the caller's to change: a
 * ValidationError (400), not a failure of the store.
 */
async function refusingComplexPatterns<T>(request: Promise<T>): Promise<T> {
  try {
    return await request;
  } catch (error) {
    if (
      error instanceof errors.ResponseError &&
      JSON.stringify(error.body).includes('too_complex_to_determinize_exception')
    ) {
      throw new ValidationError(
        'A matchesRegex pattern is too complex for OpenSearch: anchor it (^…$) or shorten its repeats',
      );
    }
    throw error;
  }
}
