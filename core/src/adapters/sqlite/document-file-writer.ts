import type { CollectionMapping, DocumentWrite } from '@uspa/projections';
import type Database from 'better-sqlite3';
import { appliedSeqStatements, APPLIED_SCHEMA } from './document-journal.js';
import { SqliteDocumentStore } from './sqlite-document-store.js';
import { openReadModelDatabase } from './sqlite-read-model-database.js';
import { transferError, type TransferredError } from './store-error-transfer.js';

export type DocumentWriterRequest =
  /** `writes`: JSON of `DocumentWrite[]`; `seq`: their journal entry, 0 when not journalled. */
  | { id: number; kind: 'writes'; seq: number; writes: string }
  | { id: number; kind: 'createCollection'; name: string; mapping: CollectionMapping }
  | { id: number; kind: 'dropCollection'; name: string }
  | { id: number; kind: 'setAlias'; alias: string; collection: string }
  | { id: number; kind: 'close' };

export interface DocumentWriterResponse {
  id: number;
  error?: TransferredError;
}

type WritesRequest = Extract<DocumentWriterRequest, { kind: 'writes' }>;

/**
 * The write side of a documents file (`sqlite-document-file-store.ts`): applies requests in
 * order and answers each; consecutive writes handled together share one transaction, which also
 * records the last journal entry applied. Runs on the document writer thread, or inline.
 */
export class DocumentFileWriter {
  readonly #db: Database.Database;
  readonly #store: SqliteDocumentStore;
  readonly #applyGroup: (group: readonly WritesRequest[]) => void;
  readonly #applyNow: (writes: readonly DocumentWrite[]) => void;
  readonly #markApplied: Database.Statement<[number]>;

  constructor(file: string) {
    this.#db = openReadModelDatabase(file);
    // An answer lets the read side forget its journal entry: the writes must survive a power cut.
    this.#db.pragma('synchronous = FULL');
    this.#store = new SqliteDocumentStore(this.#db, { ownsDatabase: true });
    this.#db.exec(APPLIED_SCHEMA);
    const { markApplied, applied } = appliedSeqStatements(this.#db);
    this.#markApplied = markApplied;
    this.#applyGroup = this.#db.transaction((group: readonly WritesRequest[]) => {
      // Another writer of the file (that of another thread's store, applying the journal it
      // found on opening) may have applied an entry, or a later one: applied again, an older
      // entry would take back a newer document.
      const done = applied.get() ?? 0;
      for (const request of group) {
        if (request.seq > 0 && request.seq <= done) continue;
        this.#store.applyWritesSync(JSON.parse(request.writes) as DocumentWrite[]);
      }
      const seq = Math.max(...group.map((request) => request.seq));
      if (seq > 0) this.#markApplied.run(seq);
    });
    this.#applyNow = this.#db.transaction((writes: readonly DocumentWrite[]) =>
      this.#store.applyWritesSync(writes),
    );
  }

  /**
   * Applies checked writes at once, in a transaction of their own, without a journal entry or
   * a round trip through JSON; throws if one cannot apply, leaving none of them written.
   */
  writeNow(writes: readonly DocumentWrite[]): void {
    this.#applyNow(writes);
  }

  /** Handles `requests` in order; the answers come in the same order. */
  async handle(requests: readonly DocumentWriterRequest[]): Promise<DocumentWriterResponse[]> {
    const answers: DocumentWriterResponse[] = [];
    for (let i = 0; i < requests.length;) {
      const request = requests[i]!;
      if (request.kind !== 'writes') {
        answers.push(await this.#handleOne(request));
        i++;
        continue;
      }
      let end = i + 1;
      while (end < requests.length && requests[end]!.kind === 'writes') end++;
      answers.push(...this.#write(requests.slice(i, end) as WritesRequest[]));
      i = end;
    }
    return answers;
  }

  #write(group: readonly WritesRequest[]): DocumentWriterResponse[] {
    try {
      this.#applyGroup(group);
      return group.map(({ id }) => ({ id }));
    } catch {
      // One bad request must not fail the others: each alone, so only it answers with its error.
      return group.map((request) => {
        try {
          this.#applyGroup([request]);
          return { id: request.id };
        } catch (error) {
          // Journalled writes that cannot apply are passed over, or a restart would retry them
          // for ever; their caller hears why.
          if (request.seq > 0) this.#markApplied.run(request.seq);
          return { id: request.id, error: transferError(error) };
        }
      });
    }
  }

  async #handleOne(
    request: Exclude<DocumentWriterRequest, WritesRequest>,
  ): Promise<DocumentWriterResponse> {
    try {
      if (request.kind === 'createCollection') {
        await this.#store.createCollection(request.name, request.mapping);
      } else if (request.kind === 'dropCollection') {
        await this.#store.dropCollection(request.name);
      } else if (request.kind === 'setAlias') {
        await this.#store.setAlias(request.alias, request.collection);
      } else {
        await this.#store.close();
      }
      return { id: request.id };
    } catch (error) {
      return { id: request.id, error: transferError(error) };
    }
  }
}
