import {
  DEFAULT_READ_COUNT,
  type Direction,
  type ReadAllOptions,
  type RecordedEvent,
} from '../../ports/event-store.port.js';
import { matchesFilter } from './eventstoredb-filters.js';

/** One record of `$all` as the server streams it, before the port's visibility rules apply. */
export interface LogRecord {
  position: number;
  streamId: string;
  type: string;
  toEvent(): RecordedEvent;
}

/** Where a read of `$all` starts: an end of the log or the position of a record. */
export type LogStart = 'start' | 'end' | number;

/**
 * `$all` as EventStoreDB reads it. A position must be the start of a log record, and the server
 * cannot tell a gap between records from the middle of one, so an arbitrary number may be
 * refused ({@link InvalidLogPositionError}). Forwards, the record at `from` is included;
 * backwards, reading starts strictly before it. Leaving the iteration cancels the read.
 */
export interface AllLog {
  read(from: LogStart, direction: Direction): AsyncIterable<LogRecord>;
}

export class InvalidLogPositionError extends Error {
  constructor(
    readonly position: number,
    options?: ErrorOptions,
  ) {
    super(`Position ${position} is not the start of a record of $all`, options);
  }
}

/**
 * The port's readAll over {@link AllLog}: bounds are exclusive and may be any number. A bound that
 * is an event's position (what callers normally hold) is read from directly; any other number is
 * first moved to the nearest record at or before it, found by scanning back from the end.
 * Filters apply client-side because the 6.x client sends no filter with a read of `$all`.
 */
export async function readAllEvents(
  log: AllLog,
  options: ReadAllOptions = {},
): Promise<RecordedEvent[]> {
  const maxCount = options.maxCount ?? DEFAULT_READ_COUNT;
  if (maxCount <= 0) return [];
  const take = (from: LogStart, direction: Direction, keep: (position: number) => boolean) =>
    collect(log.read(from, direction), keep, options, maxCount);

  if (options.direction === 'backwards') {
    const { before } = options;
    if (before === undefined) return take('end', 'backwards', () => true);
    if (before <= 0) return [];
    const keep = (position: number): boolean => position < before;
    try {
      return await take(before, 'backwards', keep);
    } catch (error) {
      if (!(error instanceof InvalidLogPositionError)) throw error;
      return take('end', 'backwards', keep);
    }
  }

  const { after } = options;
  if (after === undefined || after <= 0) {
    return take('start', 'forwards', (position) => after === undefined || position > after);
  }
  const keep = (position: number): boolean => position > after;
  try {
    return await take(after, 'forwards', keep);
  } catch (error) {
    if (!(error instanceof InvalidLogPositionError)) throw error;
    return take(await anchorAtOrBefore(log, after), 'forwards', keep);
  }
}

async function collect(
  records: AsyncIterable<LogRecord>,
  keep: (position: number) => boolean,
  options: ReadAllOptions,
  maxCount: number,
): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const record of records) {
    if (!keep(record.position)) continue;
    if (!matchesFilter(options.filter, record.streamId, record.type)) continue;
    events.push(record.toEvent());
    if (events.length >= maxCount) break;
  }
  return events;
}

/** The last record at or before `position`, or the start of the log when there is none. */
export async function anchorAtOrBefore(log: AllLog, position: number): Promise<LogStart> {
  for await (const record of log.read('end', 'backwards')) {
    if (record.position <= position) return record.position;
  }
  return 'start';
}

/** Where a subscription reads from, and the position it has already seen (exclusive). */
export interface SubscriptionStart {
  from: LogStart;
  after: number;
}

/**
 * Resolves `from` of the port's subscribeToAll to a record position the server accepts. `end` is
 * pinned to the last record now, so events appended after the call are not missed while the
 * subscription is being set up. A position is probed with a one-record read: a server refuses
 * invalid positions on reads, but older ones silently deliver nothing to a subscription.
 */
export async function resolveSubscriptionStart(
  log: AllLog,
  from: 'start' | 'end' | number,
): Promise<SubscriptionStart> {
  if (from === 'start') return { from: 'start', after: -1 };
  if (from === 'end') {
    const last = await firstRecord(log.read('end', 'backwards'));
    return last ? { from: last.position, after: last.position } : { from: 'start', after: -1 };
  }
  if (from <= 0) return { from: 'start', after: from };
  try {
    if (await firstRecord(log.read(from, 'forwards'))) return { from, after: from };
  } catch (error) {
    if (!(error instanceof InvalidLogPositionError)) throw error;
  }
  // Beyond the end of the log, or not a record boundary: start from the record before it.
  return { from: await anchorAtOrBefore(log, from), after: from };
}

async function firstRecord(records: AsyncIterable<LogRecord>): Promise<LogRecord | undefined> {
  for await (const record of records) return record;
  return undefined;
}
