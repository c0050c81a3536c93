export interface Group<T> {
  key: string;
  rows: [T, ...T[]];
}

export type GroupedRow<T> =
  | { status: 'added'; closed: Group<T>[] }
  /** The key's group was already emitted: the row arrived too late to join it. */
  | { status: 'late' };

/**
 * Groups rows by key in constant memory. Exports list a group's rows together, but not always
 * consecutively (Online Retail interleaves a cancellation into an order), so the last
 * `maxOpenGroups` keys stay open; the least recently touched group is emitted when one more opens.
 * Keys of the last `rememberClosed` emitted groups are kept so that a late row is reported instead
 * of becoming a second message with the same messageId, which deduplication would silently drop.
 *
 * @example
 * const grouper = new RowGrouper<string>(2);
 * grouper.add('536365', 'row 1'); // { status: 'added', closed: [] }
 */
export class RowGrouper<T> {
  readonly #open = new Map<string, [T, ...T[]]>();
  readonly #closed = new Set<string>();
  #latest: string | undefined;

  constructor(
    private readonly maxOpenGroups: number,
    private readonly rememberClosed = 10_000,
  ) {}

  add(key: string, row: T): GroupedRow<T> {
    const rows = this.#open.get(key);
    if (rows) {
      rows.push(row);
      // Re-inserting keeps the Map in least-recently-touched order (rows mostly come in runs).
      if (key !== this.#latest) {
        this.#open.delete(key);
        this.#open.set(key, rows);
        this.#latest = key;
      }
      return { status: 'added', closed: [] };
    }
    if (this.#closed.has(key)) return { status: 'late' };
    this.#open.set(key, [row]);
    this.#latest = key;
    const closed: Group<T>[] = [];
    for (const [oldest, oldestRows] of this.#open) {
      if (this.#open.size <= this.maxOpenGroups) break;
      closed.push(this.#close(oldest, oldestRows));
    }
    return { status: 'added', closed };
  }

  /** Emits every open group (at the end of the file). */
  flush(): Group<T>[] {
    return [...this.#open].map(([key, rows]) => this.#close(key, rows));
  }

  #close(key: string, rows: [T, ...T[]]): Group<T> {
    this.#open.delete(key);
    this.#closed.add(key);
    if (this.#closed.size > this.rememberClosed) {
      const [forgotten] = this.#closed;
      if (forgotten !== undefined) this.#closed.delete(forgotten);
    }
    return { key, rows };
  }
}
