import { describe, expect, it } from 'vitest';
import type { Direction, RecordedEvent } from '../../ports/event-store.port.js';
import {
  InvalidLogPositionError,
  readAllEvents,
  resolveSubscriptionStart,
  type AllLog,
  type LogRecord,
  type LogStart,
} from './all-log.js';

/**
 * `$all` with EventStoreDB's rules: positions are byte offsets of records, a read must start at
 * a record (or at an end of the log), forwards includes that record, backwards starts before it.
 * It counts the records it hands out, to show which reads scan and which go straight there.
 */
class RecordLog implements AllLog {
  handedOut = 0;
  constructor(readonly records: readonly LogRecord[]) {}

  async *read(from: LogStart, direction: Direction): AsyncGenerator<LogRecord> {
    const list = direction === 'forwards' ? this.records : [...this.records].reverse();
    if (typeof from === 'number' && !this.records.some((r) => r.position === from)) {
      const end = this.records.at(-1)?.position ?? 0;
      // Reading at or beyond the end answers nothing; inside the log it must hit a record.
      if (direction === 'backwards' || from <= end) throw new InvalidLogPositionError(from);
    }
    for (const record of list) {
      if (typeof from === 'number') {
        if (direction === 'forwards' && record.position < from) continue;
        if (direction === 'backwards' && record.position >= from) continue;
      }
      this.handedOut += 1;
      yield record;
    }
  }
}

const record = (position: number, streamId = 'c-1', type = 'Seen'): LogRecord => ({
  position,
  streamId,
  type,
  toEvent: (): RecordedEvent => ({
    id: `e${position}`,
    type,
    streamId,
    revision: 0,
    position,
    data: {},
    metadata: {},
    recordedAt: new Date(0),
  }),
});

// Records at uneven offsets, with hidden ones in between: a system event, a claim, a tombstone.
const log = (): RecordLog =>
  new RecordLog([
    record(0, '$epoch', '$epoch'),
    record(130),
    record(260, 'c-2'),
    record(395, '$stats-1', '$statsCollected'),
    record(520),
    record(650, 'uspa-eventid-1', 'UspaEventIdClaimed'),
    record(777, 'c-2'),
    record(900, 'c-1', '$streamDeleted'),
    record(1024, 'd-1', 'Other'),
  ]);

const positions = (events: RecordedEvent[]): number[] => events.map((e) => e.position);

describe('readAllEvents forwards', () => {
  it('reads the whole visible log when no position is given', async () => {
    expect(positions(await readAllEvents(log()))).toEqual([130, 260, 520, 777, 1024]);
  });

  it('starts strictly after an event position, reading from it directly', async () => {
    const records = log();
    expect(positions(await readAllEvents(records, { after: 520, maxCount: 1 }))).toEqual([777]);
    expect(records.handedOut).toBe(3); // 520 itself, the hidden claim, then 777
  });

  it('accepts a position between records by moving back to the record before it', async () => {
    expect(positions(await readAllEvents(log(), { after: 519 }))).toEqual([520, 777, 1024]);
    expect(positions(await readAllEvents(log(), { after: 129 }))).toEqual([
      130, 260, 520, 777, 1024,
    ]);
  });

  it('answers nothing after the end, everything after a negative position', async () => {
    expect(await readAllEvents(log(), { after: 5000 })).toEqual([]);
    expect(positions(await readAllEvents(log(), { after: -1, maxCount: 2 }))).toEqual([130, 260]);
  });

  it('applies filters and maxCount to visible events only', async () => {
    const byStream = await readAllEvents(log(), { filter: { streamPrefixes: ['c-2'] } });
    expect(positions(byStream)).toEqual([260, 777]);
    const byType = await readAllEvents(log(), {
      filter: { eventTypes: ['Other', '$statsCollected'] },
    });
    expect(positions(byType)).toEqual([1024]);
    expect(await readAllEvents(log(), { maxCount: 0 })).toEqual([]);
  });
});

describe('readAllEvents backwards', () => {
  it('reads from the end, newest first', async () => {
    expect(positions(await readAllEvents(log(), { direction: 'backwards', maxCount: 3 }))).toEqual([
      1024, 777, 520,
    ]);
  });

  it('starts strictly before a position, whether or not a record starts there', async () => {
    const direct = await readAllEvents(log(), { direction: 'backwards', before: 777 });
    expect(positions(direct)).toEqual([520, 260, 130]);
    const between = await readAllEvents(log(), {
      direction: 'backwards',
      before: 778,
      maxCount: 2,
    });
    expect(positions(between)).toEqual([777, 520]);
    expect(await readAllEvents(log(), { direction: 'backwards', before: 0 })).toEqual([]);
  });
});

describe('resolveSubscriptionStart', () => {
  it('starts at the beginning, or pinned at the last record for "end"', async () => {
    expect(await resolveSubscriptionStart(log(), 'start')).toEqual({ from: 'start', after: -1 });
    expect(await resolveSubscriptionStart(log(), 'end')).toEqual({ from: 1024, after: 1024 });
    expect(await resolveSubscriptionStart(new RecordLog([]), 'end')).toEqual({
      from: 'start',
      after: -1,
    });
  });

  it('starts at an event position directly, and before any other number', async () => {
    expect(await resolveSubscriptionStart(log(), 520)).toEqual({ from: 520, after: 520 });
    expect(await resolveSubscriptionStart(log(), 600)).toEqual({ from: 520, after: 600 });
    expect(await resolveSubscriptionStart(log(), 9999)).toEqual({ from: 1024, after: 9999 });
    expect(await resolveSubscriptionStart(log(), 0)).toEqual({ from: 'start', after: 0 });
  });
});
