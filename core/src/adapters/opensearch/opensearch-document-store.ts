import { errors, type Client } from '@opensearch-project/opensearch';
import type {
  CollectionMapping,
  Document,
  DocumentFilter,
  DocumentPage,
  DocumentQuery,
  DocumentStore,
  DocumentWrite,
  SegmentMatch,
  TermsAggregationQuery,
  TermsBucket,
} from '@uspa/projections';
import { ValidationError } from '../../errors/index.js';
import {
  checkId,
  checkMapping,
  checkName,
  checkNamePrefix,
  checkWrites,
  collectionNotFound,
  isValidName,
  nameTaken,
} from '../shared/document-checks.js';
import { bulkWrite, type BulkOptions } from './opensearch-bulk.js';
import { count, search, terms, type SearchTarget } from './opensearch-document-queries.js';
import { indexBody, storedMapping } from './opensearch-mapping.js';

export interface OpenSearchDocumentStoreOptions {
  /**
   * Prepended to every index and alias name, so installs and test runs sharing a cluster never
   * meet. Lowercase letters, digits, `_`, `-` and `.`, starting with a letter or digit.
   */
  indexPrefix?: string;
  /** Close the client in {@link OpenSearchDocumentStore.close}; default false. */
  ownsClient?: boolean;
  /** Writes per `_bulk` request (default 500). */
  bulkChunkSize?: number;
  /**
   * How `write` makes its writes visible before it resolves: `true` (default) refreshes at once;
   * `wait_for` waits for the next scheduled refresh, up to a second per write, lighter on the
   * cluster under heavy write load.
   */
  refresh?: BulkOptions['refresh'];
}

const INDEX_PREFIX = /^([a-z0-9][a-z0-9_.-]*)?$/;

/**
 * The scale-out DocumentStore: a collection is an OpenSearch index (one shard, no replicas; see
 * `opensearch-mapping.ts`), an alias an OpenSearch alias, switched with one atomic `_aliases`
 * request. Searches page with `search_after`. Results match the SQLite adapter's (design §3).
 *
 * @example
 * const store = new OpenSearchDocumentStore(new Client({ node: 'http://127.0.0.1:9200' }), {
 *   indexPrefix: 'uspa-',
 * });
 */
export class OpenSearchDocumentStore implements DocumentStore {
  readonly #client: Client;
  readonly #prefix: string;
  readonly #ownsClient: boolean;
  readonly #bulk: BulkOptions;
  // Collections and aliases seen to exist: a bulk write to a missing index would create it with
  // a guessed mapping, so writes check first. Cleared by drops (aliases go with their index).
  readonly #existing = new Set<string>();

  constructor(client: Client, options: OpenSearchDocumentStoreOptions = {}) {
    const prefix = options.indexPrefix ?? '';
    if (!INDEX_PREFIX.test(prefix)) {
      throw new ValidationError(`Invalid OpenSearch index prefix ${JSON.stringify(prefix)}`);
    }
    this.#client = client;
    this.#prefix = prefix;
    this.#ownsClient = options.ownsClient ?? false;
    this.#bulk = { chunkSize: options.bulkChunkSize ?? 500, refresh: options.refresh ?? true };
  }

  async createCollection(name: string, mapping: CollectionMapping): Promise<void> {
    checkName(name);
    checkMapping(mapping);
    try {
      await this.#client.indices.create({ index: this.#index(name), body: indexBody(mapping) });
    } catch (error) {
      const type = errorType(error);
      if (type === 'resource_already_exists_exception') return;
      if (type === 'invalid_index_name_exception' && /alias/.test(String(error))) {
        throw nameTaken(name, 'alias');
      }
      throw error;
    }
  }

  async dropCollection(name: string): Promise<void> {
    checkName(name);
    // No-op for an absent name, and for an alias name: OpenSearch never deletes through an alias.
    await this.#client.indices.delete({ index: this.#index(name), ignore_unavailable: true });
    this.#existing.clear();
  }

  async listCollections(prefix: string): Promise<string[]> {
    checkNamePrefix(prefix);
    const { body } = await this.#client.cat.indices({
      index: `${this.#index(prefix)}*`,
      format: 'json',
      h: ['index'],
      expand_wildcards: 'open',
    });
    // The pattern also matches aliases, and answers with the indices behind them: keep only
    // indices that carry the prefix themselves.
    return (
      body
        .map((row) => row.index ?? '')
        .filter((index) => index.startsWith(this.#index(prefix)))
        .map((index) => index.slice(this.#prefix.length))
        // Without an index prefix the pattern also meets indices of others (`.opensearch-*`, ...).
        .filter(isValidName)
        .sort()
    );
  }

  async setAlias(alias: string, collection: string): Promise<void> {
    checkName(alias, 'alias');
    checkName(collection);
    const index = this.#index(collection);
    // The add action would follow an alias to its index; only a collection may be a target.
    if ((await this.#target(collection)).index !== index) throw collectionNotFound(collection);
    const name = this.#index(alias);
    try {
      await this.#client.indices.updateAliases({
        body: {
          actions: [
            { remove: { index: `${this.#prefix}*`, alias: name, must_exist: false } },
            { add: { index, alias: name } },
          ],
        },
      });
    } catch (error) {
      if (errorType(error) === 'invalid_alias_name_exception') throw nameTaken(alias, 'collection');
      if (errorType(error) === 'index_not_found_exception') throw collectionNotFound(collection);
      throw error;
    }
  }

  async resolveAlias(alias: string): Promise<string | undefined> {
    checkName(alias, 'alias');
    const response = await this.#client.indices.getAlias(
      { name: this.#index(alias) },
      { ignore: [404] },
    );
    if (response.statusCode === 404) return undefined;
    const index = Object.keys(response.body)[0];
    return index?.slice(this.#prefix.length);
  }

  async write(writes: readonly DocumentWrite[]): Promise<void> {
    checkWrites(writes);
    for (const collection of new Set(writes.map((write) => write.collection))) {
      if (this.#existing.has(collection)) continue;
      const { body: exists } = await this.#client.indices.exists({
        index: this.#index(collection),
      });
      if (!exists) throw collectionNotFound(collection);
      this.#existing.add(collection);
    }
    await bulkWrite(this.#client, writes, (collection) => this.#index(collection), this.#bulk);
  }

  async get(collection: string, id: string): Promise<Document | undefined> {
    checkName(collection);
    checkId(id);
    const { body } = await this.#client.get(
      { index: this.#index(collection), id },
      { ignore: [404] },
    );
    // A missing index answers 404 too, with an error body instead of `found: false`.
    return body.found === true ? (body._source as Document) : undefined;
  }

  async getMany(collection: string, ids: readonly string[]): Promise<Map<string, Document>> {
    checkName(collection);
    ids.forEach(checkId);
    if (ids.length === 0) return new Map();
    const { body } = await this.#client.mget({
      index: this.#index(collection),
      body: { ids: [...ids] },
    });
    const found = new Map<string, Document>();
    for (const doc of body.docs) {
      if ('found' in doc && doc.found) found.set(doc._id, doc._source as Document);
    }
    return found;
  }

  async search(collection: string, query: DocumentQuery = {}): Promise<DocumentPage> {
    checkName(collection);
    return search(this.#client, await this.#target(collection), query);
  }

  async count(
    collection: string,
    filter?: DocumentFilter,
    condition?: SegmentMatch,
  ): Promise<number> {
    checkName(collection);
    return count(this.#client, await this.#target(collection), filter, condition);
  }

  async terms(collection: string, query: TermsAggregationQuery): Promise<TermsBucket[]> {
    checkName(collection);
    return terms(this.#client, await this.#target(collection), query);
  }

  async ping(): Promise<void> {
    await this.#client.info();
  }

  async close(): Promise<void> {
    if (this.#ownsClient) await this.#client.close();
  }

  #index(name: string): string {
    return `${this.#prefix}${name}`;
  }

  /** The index behind a collection or alias, with the mapping queries are checked against. */
  async #target(name: string): Promise<SearchTarget> {
    const response = await this.#client.indices.getMapping(
      { index: this.#index(name) },
      { ignore: [404] },
    );
    const [index, entry] = Object.entries(response.body)[0] ?? [];
    if (response.statusCode === 404 || index === undefined) throw collectionNotFound(name);
    const mapping = storedMapping(entry?.mappings._meta);
    if (mapping === undefined) {
      throw new ValidationError(`Index ${index} is not a document collection of this store`);
    }
    // Queries go to the index itself, so an alias switched meanwhile cannot pair this mapping
    // with another index.
    return { name, mapping, index };
  }
}

function errorType(error: unknown): string | undefined {
  if (!(error instanceof errors.ResponseError)) return undefined;
  return (error.body as { error?: { type?: string } } | undefined)?.error?.type;
}
