import type { Condition } from '../segments/condition/condition.js';

/**
 * DocumentStore: searchable JSON documents, the read models behind search, lists and dashboards
 * (design §3). Embedded adapter: SQLite tables with FTS5; scale-out adapter: OpenSearch. Both run
 * the contract suite in `testing/document-store.contract.ts`.
 *
 * Collections are physical (`profiles_v3`); an alias (`profiles`) names the one readers use, so a
 * rebuild can fill a new collection while the old one serves and then switch atomically. Every
 * read and search accepts a collection or an alias.
 */
export const DOCUMENT_STORE = Symbol('DocumentStore');

export type Document = Record<string, unknown>;

/**
 * How a field is indexed. `keyword`: exact values (strings, or arrays of strings: a filter
 * matches when any element matches); `text`: full-text searched by {@link DocumentQuery.text};
 * `number`, `date` (ISO-8601 strings), `boolean`: filters, ranges and sorting. Fields not in the
 * mapping are stored and returned but not searchable.
 *
 * `facts` and `activity` are the segment view (`segments/condition/segment-view.ts`), only at
 * the top-level fields of those names: a collection mapping `facts`, `activity` and `segments`
 * (`keyword`) answers {@link SegmentMatch} conditions. Filters cannot use them, and reads do not
 * return them: they are indexed, not stored.
 */
export type FieldType = 'keyword' | 'text' | 'number' | 'date' | 'boolean' | 'facts' | 'activity';

export interface CollectionMapping {
  /** Dotted paths into the document, e.g. `traits.email` → `keyword`. */
  fields: Readonly<Record<string, FieldType>>;
}

export type Scalar = string | number | boolean;

/** A filter over mapped fields; segment conditions come as a {@link SegmentMatch} beside it. */
export type DocumentFilter =
  | { and: readonly DocumentFilter[] }
  | { or: readonly DocumentFilter[] }
  | { not: DocumentFilter }
  | { field: string; eq: Scalar }
  | { field: string; in: readonly Scalar[] }
  | { field: string; range: { gt?: Scalar; gte?: Scalar; lt?: Scalar; lte?: Scalar } }
  | { field: string; exists: boolean }
  | { field: string; prefix: string };

export interface SortField {
  field: string;
  order: 'asc' | 'desc';
}

/** A segment condition evaluated at `now` (epoch ms), on collections holding segment views. */
export interface SegmentMatch {
  condition: Condition;
  now: number;
}

export interface DocumentQuery {
  filter?: DocumentFilter;
  /** ANDed with `filter` and `text`; the condition is checked (`checkCondition`) first. */
  condition?: SegmentMatch;
  /** Full-text query over the `text` fields (words are matched, all must occur). */
  text?: string;
  /** Defaults to the document id ascending; the id is always the final tie-breaker. */
  sort?: readonly SortField[];
  /** Page size, default 20, at most 1000. */
  size?: number;
  /** Opaque cursor from a previous page's `next` (search_after semantics: stable under writes). */
  after?: string;
}

export interface DocumentHit {
  id: string;
  document: Document;
}

export interface DocumentPage {
  hits: DocumentHit[];
  /** Number of documents matching the query (filter and text), over all pages. */
  total: number;
  /** Cursor of the next page; absent on the last page. */
  next?: string;
}

export interface TermsAggregationQuery {
  /** A `keyword`, `number` or `boolean` field. */
  field: string;
  filter?: DocumentFilter;
  /** Number of buckets, largest first (ties by key ascending), default 10. */
  size?: number;
}

export interface TermsBucket {
  key: Scalar;
  count: number;
}

export type DocumentWrite =
  | { op: 'upsert'; collection: string; id: string; document: Document }
  | { op: 'delete'; collection: string; id: string };

export interface DocumentStore {
  /** Creates a collection with its mapping; a no-op when it already exists. */
  createCollection(name: string, mapping: CollectionMapping): Promise<void>;
  /** Drops a collection and its documents; a no-op when absent. Aliases pointing at it go too. */
  dropCollection(name: string): Promise<void>;
  /** Names of existing collections starting with `prefix`. */
  listCollections(prefix: string): Promise<string[]>;
  /** Points `alias` at `collection`, atomically replacing any previous target. */
  setAlias(alias: string, collection: string): Promise<void>;
  /** The collection an alias points at, if any. */
  resolveAlias(alias: string): Promise<string | undefined>;

  /**
   * Applies upserts (whole-document replace) and deletes in order. Deleting an absent id is a
   * no-op. Writes are visible to reads and searches once the promise resolves.
   */
  write(writes: readonly DocumentWrite[]): Promise<void>;
  get(collection: string, id: string): Promise<Document | undefined>;
  /** Only found ids are in the map. */
  getMany(collection: string, ids: readonly string[]): Promise<Map<string, Document>>;
  search(collection: string, query?: DocumentQuery): Promise<DocumentPage>;
  /** Documents matching the filter and the segment condition (both optional). */
  count(collection: string, filter?: DocumentFilter, condition?: SegmentMatch): Promise<number>;
  terms(collection: string, query: TermsAggregationQuery): Promise<TermsBucket[]>;

  ping(): Promise<void>;
  close(): Promise<void>;
}

export const MAX_PAGE_SIZE = 1000;
export const DEFAULT_PAGE_SIZE = 20;
