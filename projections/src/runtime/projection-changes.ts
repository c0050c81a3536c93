import type { EventToAppend, RecordedEvent } from '@uspa/sdk';
import type { Document, DocumentWrite } from '../ports/document-store.port.js';
import type { KeyValueWrite } from '../ports/key-value.port.js';
import type { ProjectionEventLog } from '../ports/projection-event-log.port.js';
import type { ReadModelStore } from '../ports/read-model-store.port.js';
import type { ProjectionContext, ProjectionDocuments, ProjectionKeyValues } from './projection.js';
import { projectionStorage, type ProjectionGeneration } from './projection-storage.js';

/** Raised when the read-model storage or the log fails: retried, never blamed on an event. */
export class StorageUnavailableError extends Error {
  override readonly name = 'StorageUnavailableError';
}

async function storage<T>(operation: Promise<T>): Promise<T> {
  try {
    return await operation;
  } catch (error) {
    throw new StorageUnavailableError(error instanceof Error ? error.message : String(error), {
      cause: error,
    });
  }
}

/**
 * One batch's writes, buffered until the runner commits them with the checkpoint, and the
 * context a projection handles the batch with. Names are mapped to the generation's storage here,
 * so projections only ever speak of logical collections and keys.
 */
export class ProjectionChanges {
  readonly #documents = new Map<string, DocumentWrite>();
  readonly #plainValues = new Map<string, string | undefined>();
  readonly #keyValues: KeyValueWrite[] = [];
  readonly #prefix: string;
  #windowEnded = false;
  readonly context: ProjectionContext;

  constructor(
    private readonly store: ReadModelStore,
    private readonly log: ProjectionEventLog,
    private readonly generation: ProjectionGeneration,
    options: { redelivery?: boolean; catchingUp?: boolean; memory?: Map<string, unknown> } = {},
  ) {
    this.#prefix = projectionStorage.keyPrefix(generation);
    this.context = {
      documents: this.#documentsView(),
      keyValues: this.#keyValuesView(),
      log: {
        readStream: (streamId, options) => storage(log.readStream(streamId, options)),
        readAll: (options) => storage(log.readAll(options)),
      },
      append: (streamId, events) => this.#append(streamId, events),
      redelivery: options.redelivery ?? false,
      catchingUp: options.catchingUp ?? false,
      deferWrites: false,
      endWindow: () => {
        this.#windowEnded = true;
      },
      memory: options.memory ?? new Map<string, unknown>(),
    };
  }

  /** Whether the next batch handled with this context is committed later (see the context). */
  deferWrites(defer: boolean): void {
    (this.context as { deferWrites: boolean }).deferWrites = defer;
  }

  /** Whether the projection asked to end the window these changes belong to. */
  get windowEnded(): boolean {
    return this.#windowEnded;
  }

  get size(): number {
    return this.#documents.size + this.#keyValues.length;
  }

  documentWrites(): DocumentWrite[] {
    return [...this.#documents.values()];
  }

  keyValueWrites(): KeyValueWrite[] {
    return this.#keyValues;
  }

  async #append(streamId: string, events: readonly EventToAppend[]): Promise<void> {
    if (events.length > 0) await storage(this.log.append(streamId, events));
  }

  #physical(collection: string): string {
    return projectionStorage.collection(collection, this.generation.generation);
  }

  #documentsView(): ProjectionDocuments {
    const pending = this.#documents;
    const physical = (collection: string): string => this.#physical(collection);
    const store = this.store.documents;
    return {
      async get(collection, id) {
        const name = physical(collection);
        const write = pending.get(`${name}\u0000${id}`);
        if (write) return write.op === 'upsert' ? write.document : undefined;
        return storage(store.get(name, id));
      },
      search: (collection, query) => storage(store.search(physical(collection), query)),
      async getMany(collection, ids) {
        const name = physical(collection);
        const found = new Map<string, Document>();
        const missing: string[] = [];
        for (const id of ids) {
          const write = pending.get(`${name}\u0000${id}`);
          if (!write) missing.push(id);
          else if (write.op === 'upsert') found.set(id, write.document);
        }
        if (missing.length > 0) {
          for (const [id, document] of await storage(store.getMany(name, missing))) {
            found.set(id, document);
          }
        }
        return found;
      },
      put(collection, id, document) {
        const name = physical(collection);
        pending.set(`${name}\u0000${id}`, { op: 'upsert', collection: name, id, document });
      },
      remove(collection, id) {
        const name = physical(collection);
        pending.set(`${name}\u0000${id}`, { op: 'delete', collection: name, id });
      },
    };
  }

  #keyValuesView(): ProjectionKeyValues {
    const prefix = this.#prefix;
    const plain = this.#plainValues;
    const writes = this.#keyValues;
    const store = this.store.keyValues;
    return {
      async get(key) {
        if (plain.has(key)) return plain.get(key);
        return storage(store.get(prefix + key));
      },
      async getMany(keys) {
        const missing = keys.filter((key) => !plain.has(key));
        const loaded =
          missing.length > 0
            ? await storage(store.getMany(missing.map((key) => prefix + key)))
            : [];
        const byKey = new Map(missing.map((key, i) => [key, loaded[i]]));
        return keys.map((key) => (plain.has(key) ? plain.get(key) : byKey.get(key)));
      },
      hashGetAll: (key) => storage(store.hashGetAll(prefix + key)),
      sortedSetRange: (key, options) => storage(store.sortedSetRange(prefix + key, options)),
      write(...batch) {
        for (const write of batch) {
          if (write.op === 'set') plain.set(write.key, write.value);
          else if (write.op === 'delete') plain.set(write.key, undefined);
          writes.push({ ...write, key: prefix + write.key });
        }
      },
    };
  }

  /** Commits the buffered writes with the checkpoint of the last event of the batch. */
  async commit(checkpoint: { name: string; position: number } | undefined): Promise<void> {
    await storage(
      this.store.commit({
        documents: this.documentWrites(),
        keyValues: this.#keyValues,
        ...(checkpoint ? { checkpoint } : {}),
      }),
    );
  }
}

/** The last position of a non-empty batch. */
export function lastPosition(events: readonly RecordedEvent[]): number {
  const last = events[events.length - 1];
  if (!last) throw new Error('empty batch');
  return last.position;
}
