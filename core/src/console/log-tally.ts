import {
  PLUGIN_DEAD_LETTER_REPLAYED,
  PLUGIN_EVENT_DEAD_LETTERED,
} from '../plugins/host/plugin-dead-letters.js';
import { PROJECTION_DEAD_LETTER_REPLAYED, PROJECTION_EVENT_PARKED } from '@uspa/projections';
import { streamOf } from '../domain/streams.js';
import { CALL_EVENT_TYPES } from '../domain/tracking-events.js';
import type { EventStore, RecordedEvent } from '../ports/event-store.port.js';

/** The event types of the six Segment calls: what "events per minute" counts. */
export const INTERACTION_TYPES: ReadonlySet<string> = new Set(Object.values(CALL_EVENT_TYPES));

const MINUTE = 60_000;
/** Minutes of interaction counts kept: the overview's hour and the minute under way. */
const MINUTES_KEPT = 61;
/** How many of the latest interaction events the top event names are taken from. */
export const RECENT_NAMES = 10_000;

export interface TallySnapshot {
  total: number;
  byType: Record<string, number>;
  /** Events in the ingestion dead-letter stream. */
  rejections: number;
  /** Parked events not yet replayed successfully. */
  deadLetters: { projections: number; plugins: number };
  /** Interaction events recorded in the minute starting at `minute` (epoch ms). */
  perMinute(minute: number): number;
  /** Names of the latest interaction events (track event, page or screen name), oldest first. */
  recentNames(): string[];
}

/**
 * Counts of the whole log, kept current by reading only what was appended since the last read.
 * The port has no count query, and the log is the only record of what happened, so the first
 * read scans the log once (as `uspa events stats` does); every later one reads just the new
 * events. A stream deleted afterwards stays counted until the process restarts.
 *
 * @example
 * const tally = new LogTally(store);
 * await tally.refresh();
 * tally.snapshot().byType.Tracked; // 1204
 */
export class LogTally {
  #after = 0;
  #total = 0;
  #rejections = 0;
  readonly #byType = new Map<string, number>();
  readonly #minutes = new Map<number, number>();
  readonly #names: (string | undefined)[] = [];
  #nextName = 0;
  #parked = { projections: 0, plugins: 0 };
  #refreshing: Promise<void> | undefined;

  constructor(
    private readonly store: Pick<EventStore, 'readAll'>,
    private readonly options: { pageSize?: number; now?: () => number } = {},
  ) {}

  /** Reads what was appended since the last call; concurrent callers share one read. */
  refresh(): Promise<void> {
    this.#refreshing ??= this.#readNew().finally(() => (this.#refreshing = undefined));
    return this.#refreshing;
  }

  /** Interaction events recorded in the minute starting at `minute` (epoch ms), as last read. */
  interactionsIn(minute: number): number {
    return this.#minutes.get(minute) ?? 0;
  }

  snapshot(): TallySnapshot {
    const names = [...this.#names.slice(this.#nextName), ...this.#names.slice(0, this.#nextName)];
    const minutes = new Map(this.#minutes);
    return {
      total: this.#total,
      byType: Object.fromEntries([...this.#byType].sort((a, b) => b[1] - a[1])),
      rejections: this.#rejections,
      deadLetters: { ...this.#parked },
      perMinute: (minute) => minutes.get(minute) ?? 0,
      recentNames: () => names.filter((name): name is string => name !== undefined),
    };
  }

  async #readNew(): Promise<void> {
    const pageSize = this.options.pageSize ?? 4096;
    for (;;) {
      const page = await this.store.readAll({ after: this.#after, maxCount: pageSize });
      const oldest = this.#now() - MINUTES_KEPT * MINUTE;
      for (const event of page) this.#count(event, oldest);
      if (page.length < pageSize) break;
    }
    this.#forgetOldMinutes();
  }

  #count(event: RecordedEvent, oldest: number): void {
    this.#after = event.position;
    this.#total += 1;
    this.#byType.set(event.type, (this.#byType.get(event.type) ?? 0) + 1);
    if (event.streamId === streamOf.ingestionDeadLetters()) this.#rejections += 1;
    this.#countDeadLetter(event);
    if (!INTERACTION_TYPES.has(event.type)) return;
    const at = event.recordedAt.getTime();
    if (at >= oldest) {
      const minute = at - (at % MINUTE);
      this.#minutes.set(minute, (this.#minutes.get(minute) ?? 0) + 1);
    }
    this.#remember(nameOf(event));
  }

  #countDeadLetter({ type, data }: RecordedEvent): void {
    const outcome = (data as { outcome?: unknown } | null)?.outcome;
    if (type === PROJECTION_EVENT_PARKED) this.#parked.projections += 1;
    else if (type === PLUGIN_EVENT_DEAD_LETTERED) this.#parked.plugins += 1;
    else if (type === PROJECTION_DEAD_LETTER_REPLAYED && outcome === 'applied') {
      this.#parked.projections = Math.max(0, this.#parked.projections - 1);
    } else if (type === PLUGIN_DEAD_LETTER_REPLAYED && outcome === 'delivered') {
      this.#parked.plugins = Math.max(0, this.#parked.plugins - 1);
    }
  }

  #remember(name: string | undefined): void {
    if (this.#names.length < RECENT_NAMES) {
      this.#names.push(name);
      return;
    }
    this.#names[this.#nextName] = name;
    this.#nextName = (this.#nextName + 1) % RECENT_NAMES;
  }

  #forgetOldMinutes(): void {
    const oldest = this.#now() - MINUTES_KEPT * MINUTE;
    for (const minute of this.#minutes.keys()) {
      if (minute + MINUTE <= oldest) this.#minutes.delete(minute);
    }
  }

  #now(): number {
    return (this.options.now ?? Date.now)();
  }
}

/** What a console filters and ranks by: a track's event name, a page's or screen's name. */
export function nameOf(event: Pick<RecordedEvent, 'type' | 'data'>): string | undefined {
  const data = event.data as { event?: unknown; name?: unknown } | null;
  const name =
    event.type === CALL_EVENT_TYPES.track
      ? data?.event
      : event.type === CALL_EVENT_TYPES.page || event.type === CALL_EVENT_TYPES.screen
        ? data?.name
        : undefined;
  return typeof name === 'string' && name !== '' ? name : undefined;
}
