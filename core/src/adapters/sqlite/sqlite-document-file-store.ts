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
import { UspaError } from '../../errors/index.js';
import { checkName, checkWrites } from '../shared/document-checks.js';
import { appliedSeqStatements, APPLIED_SCHEMA } from './document-journal.js';
import { SqliteDocumentStore } from './sqlite-document-store.js';
import { openReadModelDatabase } from './sqlite-read-model-database.js';
import {
  DocumentFileWriter,
  type DocumentWriterRequest,
  type DocumentWriterResponse,
} from './document-file-writer.js';
import {
  DocumentWriterThread,
  type DocumentWriterThreadOptions,
} from './document-writer-thread.js';
import { restoreError } from './store-error-transfer.js';

type Request = DistributiveOmit<DocumentWriterRequest, 'id'>;

/**
 * Who writes the documents file: a thread of its own (a server: indexing stays off the event
 * loop), or the caller's thread (a one-off rebuild, which has nothing else to do meanwhile and
 * is leaner without a second thread).
 */
export type DocumentWriterMode = 'thread' | 'inline';

export interface DocumentFileOptions {
  /** Who writes the file; a thread of its own by default. */
  writer?: DocumentWriterMode;
  /** Hears of the writer thread's restarts. */
  onProblem?: (problem: string) => void;
  /** Starts the writer thread (tests keep a hold on it). */
  startThread?: DocumentWriterThreadOptions['start'];
}

/**
 * The embedded DocumentStore on a documents file of its own, whose writes go through one
 * {@link DocumentFileWriter}: on a thread of its own (`sqlite-document-writer.worker.ts`), so that
 * indexing documents never holds the event loop nor waits for the read side's other writes, or
 * inline. Reads run here, on a read connection, after the writes sent before them are in: a
 * caller reads what it wrote.
 *
 * {@link SqliteReadModelStore} sends a commit's documents with {@link sendJournalled} after its
 * own transaction, which journals them: the commit does not wait for the indexing.
 *
 * @example
 * const documents = SqliteDocumentFileStore.open('data/read-models-documents.sqlite');
 * await documents.createCollection('profiles_v1', { fields: { plan: 'keyword' } });
 */
export class SqliteDocumentFileStore implements DocumentStore {
  readonly #writer: { thread: DocumentWriterThread } | { inline: DocumentFileWriter };
  readonly #db: Database.Database;
  readonly #reads: SqliteDocumentStore;
  /** Requests sent and not yet answered, with the characters of their writes. */
  readonly #pending = new Map<number, Pending>();
  /** Readers waiting for the answer to a request id: answers come back in request order. */
  readonly #waiting: { id: number; resolve: () => void }[] = [];
  /** Characters of writes sent and not yet answered. */
  #inFlightChars = 0;
  #nextId = 1;
  #answered = 0;
  #appliedSeq: number;
  #failure: UspaError | undefined;

  private constructor(file: string, options: DocumentFileOptions) {
    this.#writer =
      options.writer === 'inline'
        ? { inline: new DocumentFileWriter(file) }
        : {
            thread: new DocumentWriterThread(file, {
              onAnswer: (response) => this.#settle(response),
              onGiveUp: (reason) => this.#fail(reason),
              onProblem: options.onProblem,
              start: options.startThread,
            }),
          };
    this.#db = openReadModelDatabase(file);
    this.#db.exec(APPLIED_SCHEMA);
    this.#reads = new SqliteDocumentStore(this.#db);
    this.#appliedSeq = appliedSeqStatements(this.#db).applied.get() ?? 0;
  }

  /** Opens `file` (created if absent), its writer on a thread of its own unless `inline`. */
  static open(file: string, options: DocumentFileOptions = {}): SqliteDocumentFileStore {
    return new SqliteDocumentFileStore(file, options);
  }

  /** The last journal entry applied (as of opening, then as answered): older ones are in. */
  get appliedSeq(): number {
    return this.#appliedSeq;
  }

  /**
   * Checks `writes` here, so a malformed write or an unknown collection fails the caller's commit
   * before anything is stored. Collections created through this store exist once created.
   */
  checkWrites(writes: readonly DocumentWrite[]): void {
    checkWrites(writes);
    const checked = new Set<string>();
    for (const { collection } of writes) {
      if (checked.has(collection)) continue;
      this.#reads.requireCollection(collection);
      checked.add(collection);
    }
  }

  /** Whether writes are applied on the caller's thread (see {@link writeNow}). */
  get writesInline(): boolean {
    return 'inline' in this.#writer;
  }

  /**
   * With the inline writer only: applies checked writes now, durably, in a transaction of their
   * own, after every request sent before (the inline writer applies each as it is sent). Throws
   * when they cannot apply, leaving none of them written.
   */
  writeNow(writes: readonly DocumentWrite[]): void {
    if (this.#failure) throw this.#failure;
    const writer = this.#writer;
    if (!('inline' in writer)) throw new Error('writeNow needs the inline document writer');
    writer.inline.writeNow(writes);
  }

  /**
   * Sends writes a caller journalled as entry `seq` (JSON of checked `DocumentWrite[]`); resolves
   * once they are in the documents file. A failure there is reported, not thrown back into a
   * commit that has already happened.
   */
  sendJournalled(seq: number, writes: string): Promise<void> {
    return this.#send({ kind: 'writes', seq, writes }).then(() => {
      this.#appliedSeq = Math.max(this.#appliedSeq, seq);
    });
  }

  /**
   * Resolves at once unless more than `limit` characters of writes wait for the writer thread;
   * then once those sent so far are in. A caller that writes faster than the thread indexes
   * (a rebuild) waits here instead of queueing without bound.
   */
  backlog(limit: number): Promise<void> {
    return this.#inFlightChars > limit ? this.#caughtUp() : Promise.resolve();
  }

  async createCollection(name: string, mapping: CollectionMapping): Promise<void> {
    await this.#send({ kind: 'createCollection', name, mapping });
  }

  async dropCollection(name: string): Promise<void> {
    await this.#send({ kind: 'dropCollection', name });
  }

  async setAlias(alias: string, collection: string): Promise<void> {
    await this.#send({ kind: 'setAlias', alias, collection });
  }

  async write(writes: readonly DocumentWrite[]): Promise<void> {
    this.checkWrites(writes);
    await this.#send({ kind: 'writes', seq: 0, writes: JSON.stringify(writes) });
  }

  async listCollections(prefix: string): Promise<string[]> {
    await this.#caughtUp();
    return this.#reads.listCollections(prefix);
  }

  async resolveAlias(alias: string): Promise<string | undefined> {
    await this.#caughtUp();
    return this.#reads.resolveAlias(alias);
  }

  async get(collection: string, id: string): Promise<Document | undefined> {
    await this.#caughtUp();
    return this.#reads.get(collection, id);
  }

  async getMany(collection: string, ids: readonly string[]): Promise<Map<string, Document>> {
    await this.#caughtUp();
    return this.#reads.getMany(collection, ids);
  }

  async search(collection: string, query?: DocumentQuery): Promise<DocumentPage> {
    await this.#caughtUp();
    return this.#reads.search(collection, query);
  }

  async count(
    collection: string,
    filter?: DocumentFilter,
    condition?: SegmentMatch,
  ): Promise<number> {
    await this.#caughtUp();
    return this.#reads.count(collection, filter, condition);
  }

  async terms(collection: string, query: TermsAggregationQuery): Promise<TermsBucket[]> {
    await this.#caughtUp();
    return this.#reads.terms(collection, query);
  }

  /** Resolves once every write sent so far is in the file, for readers on other connections. */
  written(): Promise<void> {
    return this.#caughtUp();
  }

  async ping(): Promise<void> {
    if (this.#failure) throw this.#failure;
    await this.#reads.ping();
  }

  /** Waits for the writes sent so far, then ends the thread and closes the file. */
  async close(): Promise<void> {
    if (!this.#failure) {
      await this.#caughtUp();
      await this.#send({ kind: 'close' }).catch(() => undefined);
      this.#failure = new UspaError('store_closed', 503, 'Store is closed');
      if ('thread' in this.#writer) await this.#writer.thread.terminate();
    }
    if (this.#db.open) this.#db.close();
  }

  /** Resolves once every request sent before the call has been answered. */
  #caughtUp(): Promise<void> {
    const last = this.#nextId - 1;
    if (this.#answered >= last || this.#failure) return Promise.resolve();
    return new Promise((resolve) => this.#waiting.push({ id: last, resolve }));
  }

  #send(request: Request): Promise<void> {
    if (this.#failure) return Promise.reject(this.#failure);
    checkRequest(request);
    const id = this.#nextId++;
    const chars = request.kind === 'writes' ? request.writes.length : 0;
    this.#inFlightChars += chars;
    const answered = new Promise<void>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, chars });
    });
    const writer = this.#writer;
    if ('thread' in writer) writer.thread.post({ ...request, id });
    else {
      void writer.inline.handle([{ ...request, id }]).then(([response]) => this.#settle(response!));
    }
    return answered;
  }

  #settle(response: DocumentWriterResponse): void {
    const pending = this.#pending.get(response.id);
    this.#pending.delete(response.id);
    this.#answered = Math.max(this.#answered, response.id);
    this.#inFlightChars -= pending?.chars ?? 0;
    if (response.error) pending?.reject(restoreError(response.error));
    else pending?.resolve();
    while (this.#waiting.length > 0 && this.#waiting[0]!.id <= this.#answered) {
      this.#waiting.shift()!.resolve();
    }
  }

  #fail(error: Error): void {
    if (this.#failure) return;
    this.#failure = new UspaError(
      'store_unavailable',
      503,
      `Document writer failed: ${error.message}`,
    );
    for (const pending of this.#pending.values()) pending.reject(this.#failure);
    this.#pending.clear();
    for (const waiting of this.#waiting.splice(0)) waiting.resolve();
  }
}

/** Names are checked here too, so a bad one fails at once with the caller's stack. */
function checkRequest(request: Request): void {
  if (request.kind === 'createCollection' || request.kind === 'dropCollection') {
    checkName(request.name);
  } else if (request.kind === 'setAlias') {
    checkName(request.alias, 'alias');
    checkName(request.collection);
  }
}

interface Pending {
  resolve: () => void;
  reject: (error: unknown) => void;
  chars: number;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
