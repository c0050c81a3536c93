import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, UspaError, WrongExpectedRevisionError } from '../../errors/index.js';
import type { AppendResult } from '../../ports/event-store.port.js';
import {
  claimTimings,
  type ClaimEntry,
  type ClaimLog,
  type ClaimRecord,
  type ExactRevision,
  type PreparedEvent,
  type StoredEvent,
  type TargetStreams,
} from './event-id-claims.js';
import { IdempotentAppender } from './idempotent-append.js';

/** One global log for both fakes, as `$all` is for the claim streams and the user streams. */
let head = 0;
const nextPosition = (): number => (head += 100);

/** Claim streams with EventStoreDB's optimistic concurrency. */
class MemoryClaims implements ClaimLog {
  readonly streams = new Map<string, ClaimEntry[]>();
  beforeWrite?: (eventId: string, record: ClaimRecord) => Promise<void>;

  async write(eventId: string, record: ClaimRecord, expected: number | 'no_stream') {
    await this.beforeWrite?.(eventId, record);
    const entries = this.streams.get(eventId) ?? [];
    if ((entries.length === 0 ? 'no_stream' : entries.length - 1) !== expected) return undefined;
    entries.push({
      revision: entries.length,
      record,
      position: nextPosition(),
      recordedAt: new Date(),
    });
    this.streams.set(eventId, entries);
    return entries.length - 1;
  }

  async last(eventId: string) {
    return this.streams.get(eventId)?.at(-1);
  }

  async first(eventId: string) {
    return this.streams.get(eventId)?.[0];
  }

  kinds(eventId: string): string[] {
    return (this.streams.get(eventId) ?? []).map((entry) => entry.record.kind);
  }
}

/**
 * User streams with EventStoreDB's exact expectations. An append is checked when it executes,
 * after `beforeAppend`, as a write queued on the server is; and its answer may be lost.
 */
class MemoryStreams implements TargetStreams {
  readonly streams = new Map<string, { id: string; position: number }[]>();
  appends = 0;
  loseNextAnswer = false;
  beforeAppend?: () => Promise<void>;
  onHead?: (when: 'before' | 'after') => void;

  async head(streamId: string): Promise<ExactRevision> {
    this.onHead?.('before');
    const stream = this.streams.get(streamId) ?? [];
    const head = stream.length > 0 ? stream.length - 1 : 'no_stream';
    this.onHead?.('after');
    return head;
  }

  async append(streamId: string, events: readonly PreparedEvent[], at: ExactRevision) {
    await this.beforeAppend?.();
    const current = await this.head(streamId);
    if (current !== at) throw new WrongExpectedRevisionError(streamId, at, current);
    const stream = this.streams.get(streamId) ?? [];
    for (const event of events) stream.push({ id: event.id, position: nextPosition() });
    this.streams.set(streamId, stream);
    this.appends += 1;
    if (this.loseNextAnswer) {
      this.loseNextAnswer = false;
      throw new UspaError('store_unavailable', 503, 'connection reset');
    }
    return { nextExpectedRevision: stream.length - 1, position: stream.at(-1)!.position };
  }

  async range(streamId: string, from: number, to: number) {
    const stream = this.streams.get(streamId) ?? [];
    return stream.slice(from, to + 1).map(({ id, position }, n) => ({
      id,
      stored: { kind: 'stored' as const, streamId, revision: from + n, position },
    }));
  }

  /** Like the server's search: only events written after the claim record `since`. */
  async find(streamId: string, eventId: string, since: ClaimEntry) {
    const stream = this.streams.get(streamId) ?? [];
    const revision = stream.findIndex((e) => e.id === eventId && e.position > since.position);
    if (revision < 0) return undefined;
    const stored: StoredEvent = {
      kind: 'stored',
      streamId,
      revision,
      position: stream[revision]!.position,
    };
    return stored;
  }

  async positionOf(streamId: string, revision: number) {
    return this.streams.get(streamId)?.[revision]?.position ?? -1;
  }

  ids(streamId: string): string[] {
    return (this.streams.get(streamId) ?? []).map((event) => event.id);
  }
}

const timings = claimTimings({ appendTimeoutMs: 50, claimExpiryMs: 300, pollIntervalMs: 5 });

const anEvent = (id = randomUUID()): PreparedEvent => ({
  id,
  type: 'Tracked',
  data: '{}',
  metadata: '{}',
  value: {},
});

let claims: MemoryClaims;
let streams: MemoryStreams;
let appender: IdempotentAppender;
beforeEach(() => {
  claims = new MemoryClaims();
  streams = new MemoryStreams();
  appender = new IdempotentAppender(claims, streams, timings);
});

async function timed<T>(work: Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work;
  return { value, ms: performance.now() - started };
}

describe('retries', () => {
  it('stores a retried append once and answers the original result', async () => {
    const events = [anEvent(), anEvent()];
    const first = await appender.append('order-1', events, 'no_stream');
    const retry = await appender.append('order-1', events, 'no_stream');
    expect(retry).toEqual(first);
    expect(streams.appends).toBe(1);
    expect(claims.kinds(events[1]!.id)).toEqual(['claimed', 'stored']);
  });

  it('answers the original result although the expectation has gone stale', async () => {
    const paid = anEvent();
    const first = await appender.append('order-2', [paid], 'no_stream');
    await appender.append('order-2', [anEvent()], 'any');
    expect(await appender.append('order-2', [paid], 'no_stream')).toEqual(first);
    expect(streams.ids('order-2')).toHaveLength(2);
  });

  it("appends only the new events of a partly retried batch, under the caller's expectation", async () => {
    const [one, two, three] = [anEvent(), anEvent(), anEvent()];
    await appender.append('p', [one], 'no_stream');
    const result = await appender.append('p', [one, two, three], 0);
    expect(result.nextExpectedRevision).toBe(2);
    expect(streams.ids('p')).toEqual([one.id, two.id, three.id]);
    await expect(appender.append('p', [one, anEvent()], 0)).rejects.toBeInstanceOf(
      WrongExpectedRevisionError,
    );
  });

  it('stores concurrent retries in one process once', async () => {
    const events = [anEvent()];
    const results = await Promise.all(
      Array.from({ length: 5 }, () => appender.append('r', events, 'any')),
    );
    expect(new Set(results.map((r: AppendResult) => r.position)).size).toBe(1);
    expect(streams.appends).toBe(1);
    expect(streams.ids('r')).toEqual([events[0]!.id]);
  });

  it('answers the own position of an event that was not the last of its append', async () => {
    const [a, b] = [anEvent(), anEvent()];
    const both = await appender.append('q', [a, b], 'any');
    const retry = await appender.append('q', [a], 'any');
    expect(retry.nextExpectedRevision).toBe(0);
    expect(retry.position).toBe(await streams.positionOf('q', 0));
    expect(retry.position).toBeLessThan(both.position);
  });

  it('stores an id given twice in one append once', async () => {
    const a = anEvent();
    const result = await appender.append('d', [a, { ...a }, anEvent()], 'any');
    expect(result.nextExpectedRevision).toBe(1);
    expect(streams.ids('d')).toHaveLength(2);
  });
});

describe('claims of appends that did not finish', () => {
  it('frees the ids of a refused append, so a corrected retry goes through at once', async () => {
    const event = anEvent();
    await expect(appender.append('x', [event], 5)).rejects.toBeInstanceOf(
      WrongExpectedRevisionError,
    );
    expect(claims.kinds(event.id)).toEqual(['claimed', 'released']);
    const { ms } = await timed(appender.append('x', [event], 'no_stream'));
    expect(ms).toBeLessThan(timings.claimExpiryMs);
    expect(streams.ids('x')).toEqual([event.id]);
  });

  it('releases the ids it got when another claim of the same append fails', async () => {
    const [a, b] = [anEvent(), anEvent()];
    claims.beforeWrite = async (eventId, record) => {
      if (eventId === b.id && record.kind === 'claimed')
        throw new UspaError('store_unavailable', 503, 'down');
    };
    await expect(appender.append('f', [a, b], 'any')).rejects.toMatchObject({ status: 503 });
    expect(claims.kinds(a.id)).toEqual(['claimed', 'released']);
    expect(streams.appends).toBe(0);
  });

  it('keeps the claims when the outcome is unknown, and the retry finds the event', async () => {
    const event = anEvent();
    streams.loseNextAnswer = true;
    await expect(appender.append('u', [event], 'any')).rejects.toMatchObject({ status: 503 });
    const { value, ms } = await timed(appender.append('u', [event], 'any'));
    expect(ms).toBeGreaterThanOrEqual(timings.claimExpiryMs);
    expect(value.nextExpectedRevision).toBe(0);
    expect(streams.ids('u')).toEqual([event.id]);
    expect(claims.kinds(event.id)).toEqual(['claimed', 'claimed', 'stored']);
  });

  it('takes over, after the expiry, the claim of a writer that died before appending', async () => {
    const event = anEvent();
    await claims.write(event.id, { kind: 'claimed', streamId: 'y' }, 'no_stream');
    const { ms } = await timed(appender.append('y', [event], 'any'));
    expect(ms).toBeGreaterThanOrEqual(timings.claimExpiryMs);
    expect(streams.ids('y')).toEqual([event.id]);
    expect(claims.kinds(event.id)).toEqual(['claimed', 'claimed', 'stored']);
  });

  it('searches back to the first claim when a chain of writers vanished', async () => {
    const event = anEvent();
    await claims.write(event.id, { kind: 'claimed', streamId: 'k' }, 'no_stream');
    streams.streams.set('k', [{ id: event.id, position: nextPosition() }]); // the first one wrote
    await claims.write(event.id, { kind: 'claimed', streamId: 'k' }, 0); // a taker, gone too
    const result = await appender.append('k', [event], 'any');
    expect(result.nextExpectedRevision).toBe(0);
    expect(streams.ids('k')).toEqual([event.id]);
  });

  it('answers the original result when a vanished writer had used up the expectation', async () => {
    const event = anEvent();
    await claims.write(event.id, { kind: 'claimed', streamId: 'n' }, 'no_stream');
    streams.streams.set('n', [{ id: event.id, position: nextPosition() }]);
    const result = await appender.append('n', [event], 'no_stream');
    expect(result).toEqual({ nextExpectedRevision: 0, position: await streams.positionOf('n', 0) });
    await expect(appender.append('n', [event, anEvent()], 'no_stream')).rejects.toBeInstanceOf(
      WrongExpectedRevisionError,
    );
  });

  it('waits for a live writer elsewhere and answers its result without appending', async () => {
    const event = anEvent();
    await claims.write(event.id, { kind: 'claimed', streamId: 'z' }, 'no_stream');
    setTimeout(() => {
      void (async () => {
        const result = await streams.append('z', [event], 'no_stream');
        const stored = {
          kind: 'stored' as const,
          streamId: 'z',
          revision: 0,
          position: result.position,
        };
        await claims.write(event.id, stored, 0);
      })();
    }, 30);
    const { value, ms } = await timed(appender.append('z', [event], 'no_stream'));
    expect(ms).toBeLessThan(timings.claimExpiryMs);
    expect(value).toEqual({ nextExpectedRevision: 0, position: await streams.positionOf('z', 0) });
    expect(streams.appends).toBe(1);
  });

  it('does not wait for a claim whose own timestamp shows it is long dead', async () => {
    const event = anEvent();
    const recordedAt = new Date(Date.now() - 10 * 60_000);
    claims.streams.set(event.id, [
      {
        revision: 0,
        record: { kind: 'claimed', streamId: 'w' },
        position: nextPosition(),
        recordedAt,
      },
    ]);
    const { ms } = await timed(appender.append('w', [event], 'any'));
    expect(ms).toBeLessThan(timings.claimExpiryMs);
    expect(streams.ids('w')).toEqual([event.id]);
  });
});

describe('fenced appends', () => {
  it('keeps a slow writer whose claim was taken over from storing the event twice', async () => {
    const event = anEvent();
    let delayed = false;
    streams.beforeAppend = async () => {
      if (delayed) return;
      delayed = true;
      await sleep(timings.claimExpiryMs + 100); // the first append sits in a queue meanwhile
    };
    const slow = appender.append('s', [event], 'any');
    await sleep(10);
    const other = new IdempotentAppender(claims, streams, timings); // another process
    const takeover = await other.append('s', [event], 'any');
    expect(await slow).toEqual(takeover);
    expect(streams.ids('s')).toEqual([event.id]);
    expect(claims.kinds(event.id)).toEqual(['claimed', 'claimed', 'stored']);
  });

  it.each(['before', 'after'] as const)(
    'finds the late write of a taken-over claim that lands just %s the head read',
    async (when) => {
      const event = anEvent();
      await claims.write(event.id, { kind: 'claimed', streamId: 'l' }, 'no_stream');
      let heads = 0;
      streams.onHead = (moment) => {
        // The first head read goes out with the claims; the second follows the takeover.
        if (moment === 'before') heads += 1;
        if (heads === 2 && moment === when) {
          streams.streams.set('l', [{ id: event.id, position: nextPosition() }]);
          streams.onHead = undefined;
        }
      };
      const result = await appender.append('l', [event], 'any');
      expect(result.nextExpectedRevision).toBe(0);
      expect(streams.ids('l')).toEqual([event.id]);
      expect(claims.kinds(event.id)).toEqual(['claimed', 'claimed', 'stored']);
    },
  );

  it('follows the stream when other writers append between the head read and the append', async () => {
    const [mine, theirs] = [anEvent(), anEvent()];
    await appender.append('t', [anEvent()], 'any');
    let interfered = false;
    streams.beforeAppend = async () => {
      if (interfered) return;
      interfered = true;
      const stream = streams.streams.get('t')!;
      stream.push({ id: theirs.id, position: nextPosition() });
    };
    const result = await appender.append('t', [mine], 'any');
    expect(result.nextExpectedRevision).toBe(2);
    expect(streams.ids('t').slice(1)).toEqual([theirs.id, mine.id]);
  });

  it('refuses stream_exists on a missing stream and frees the ids', async () => {
    const event = anEvent();
    await expect(appender.append('m', [event], 'stream_exists')).rejects.toMatchObject({
      expected: 'stream_exists',
      actual: 'no_stream',
    });
    expect(claims.kinds(event.id)).toEqual(['claimed', 'released']);
    expect(streams.ids('m')).toEqual([]);
  });
});

describe('claim timings', () => {
  it('refuse an expiry shorter than an append may take, and non-positive values', () => {
    expect(() => claimTimings({ appendTimeoutMs: 10_000, claimExpiryMs: 5_000 })).toThrow(
      ConfigError,
    );
    expect(() => claimTimings({ pollIntervalMs: 0 })).toThrow(ConfigError);
    expect(claimTimings()).toMatchObject({ claimExpiryMs: 15_000, appendTimeoutMs: 10_000 });
  });
});
