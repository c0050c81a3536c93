import type Database from 'better-sqlite3';
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
import {
  checkId,
  checkMapping,
  checkName,
  checkNamePrefix,
  checkWrites,
} from '../shared/document-checks.js';
import { SqliteDocumentCatalog, type SqliteCollection } from './sqlite-document-catalog.js';
import { count, search, terms } from './sqlite-document-queries.js';
import { registerRegexpFunction } from './sqlite-document-segments.js';
import { SqliteCollectionWriter } from './sqlite-document-writes.js';
import { openReadModelDatabase } from './sqlite-read-model-database.js';

export interface SqliteDocumentStoreOptions {
  /**
   * Close the database in {@link SqliteDocumentStore.close}. Default false: the read-model
   * database is shared with the key-value tables and checkpoints.
   */
  ownsDatabase?: boolean;
}

/**
 * The embedded DocumentStore: JSON documents in SQLite tables, FTS5 for text search (design §3).
 * See `sqlite-document-catalog.ts` for the tables.
 *
 * It works on a better-sqlite3 database it does not own by default, because the read-model
 * database also holds key-value tables and projection checkpoints, committed together in one
 * transaction: {@link applyWritesSync} writes without a transaction of its own for that caller.
 *
 * @example
 * const store = new SqliteDocumentStore(readModelDb);
 * readModelDb.transaction(() => {
 *   store.applyWritesSync(changes.documents);
 *   keyValues.applyWritesSync(changes.keyValues);
 *   checkpoints.store(name, position);
 * })();
 */
export class SqliteDocumentStore implements DocumentStore {
  readonly #db: Database.Database;
  readonly #ownsDatabase: boolean;
  readonly #catalog: SqliteDocumentCatalog;
  readonly #writers = new Map<number, SqliteCollectionWriter>();

  constructor(db: Database.Database, options: SqliteDocumentStoreOptions = {}) {
    this.#db = db;
    this.#ownsDatabase = options.ownsDatabase ?? false;
    this.#catalog = new SqliteDocumentCatalog(db);
    registerRegexpFunction(db);
  }

  /**
   * A store on a database file of its own, closed with the store (tests, tools); see
   * {@link openReadModelDatabase} for its settings.
   */
  static open(file: string): SqliteDocumentStore {
    return new SqliteDocumentStore(openReadModelDatabase(file), { ownsDatabase: true });
  }

  async createCollection(name: string, mapping: CollectionMapping): Promise<void> {
    checkName(name);
    checkMapping(mapping);
    this.#db.transaction(() => this.#catalog.create(name, mapping)).immediate();
  }

  async dropCollection(name: string): Promise<void> {
    checkName(name);
    const id = this.#db.transaction(() => this.#catalog.drop(name)).immediate();
    if (id !== undefined) this.#writers.delete(id);
  }

  async listCollections(prefix: string): Promise<string[]> {
    checkNamePrefix(prefix);
    return this.#catalog.list(prefix);
  }

  async setAlias(alias: string, collection: string): Promise<void> {
    checkName(alias, 'alias');
    checkName(collection);
    this.#db.transaction(() => this.#catalog.setAlias(alias, collection)).immediate();
  }

  async resolveAlias(alias: string): Promise<string | undefined> {
    checkName(alias, 'alias');
    return this.#catalog.resolveAlias(alias);
  }

  /** {@link applyWritesSync} in a transaction of its own. */
  async write(writes: readonly DocumentWrite[]): Promise<void> {
    this.#db.transaction(() => this.applyWritesSync(writes)).immediate();
  }

  /**
   * Applies the writes in order without opening a transaction: the caller runs this inside its
   * own `db.transaction`, so the writes commit or roll back with whatever else it writes.
   * @throws ValidationError before writing anything when a write is malformed;
   *   NotFoundError when a collection does not exist (roll back the caller's transaction).
   */
  applyWritesSync(writes: readonly DocumentWrite[]): void {
    checkWrites(writes);
    const collections = new Map<string, SqliteCollection>();
    for (const write of writes) {
      let collection = collections.get(write.collection);
      if (collection === undefined) {
        collection = this.#catalog.get(write.collection);
        collections.set(write.collection, collection);
      }
      const writer = this.#writer(collection);
      if (write.op === 'upsert') writer.upsert(write.id, write.document);
      else writer.delete(write.id);
    }
  }

  /** @throws NotFoundError unless the collection (or the alias) `name` exists. */
  requireCollection(name: string): void {
    this.#catalog.get(name);
  }

  async get(collection: string, id: string): Promise<Document | undefined> {
    checkName(collection);
    checkId(id);
    const found = this.#catalog.find(collection);
    if (found === undefined) return undefined;
    const body = this.#db
      .prepare<[string], string>(
        `SELECT b.body FROM "${found.documents}" d JOIN "${found.bodies}" b ON b.rid = d.rid
         WHERE d.id = ?`,
      )
      .pluck()
      .get(id);
    return body === undefined ? undefined : (JSON.parse(body) as Document);
  }

  async getMany(collection: string, ids: readonly string[]): Promise<Map<string, Document>> {
    checkName(collection);
    ids.forEach(checkId);
    const found = this.#catalog.find(collection);
    if (found === undefined || ids.length === 0) return new Map();
    // One JSON parameter instead of one per id: no limit on the number of ids.
    const rows = this.#db
      .prepare<[string], [string, string]>(
        `SELECT d.id, b.body FROM "${found.documents}" d JOIN "${found.bodies}" b ON b.rid = d.rid
         WHERE d.id IN (SELECT value FROM json_each(?))`,
      )
      .raw()
      .all(JSON.stringify(ids));
    return new Map(rows.map(([id, body]) => [id, JSON.parse(body) as Document]));
  }

  async search(collection: string, query: DocumentQuery = {}): Promise<DocumentPage> {
    checkName(collection);
    // One read transaction: the page and its total see the same snapshot.
    return this.#db.transaction(() => search(this.#db, this.#catalog.get(collection), query))();
  }

  async count(
    collection: string,
    filter?: DocumentFilter,
    condition?: SegmentMatch,
  ): Promise<number> {
    checkName(collection);
    return count(this.#db, this.#catalog.get(collection), filter, undefined, condition);
  }

  async terms(collection: string, query: TermsAggregationQuery): Promise<TermsBucket[]> {
    checkName(collection);
    return terms(this.#db, this.#catalog.get(collection), query);
  }

  async ping(): Promise<void> {
    this.#db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.#ownsDatabase && this.#db.open) this.#db.close();
  }

  #writer(collection: SqliteCollection): SqliteCollectionWriter {
    let writer = this.#writers.get(collection.id);
    if (writer === undefined) {
      writer = new SqliteCollectionWriter(this.#db, collection);
      this.#writers.set(collection.id, writer);
    }
    return writer;
  }
}
