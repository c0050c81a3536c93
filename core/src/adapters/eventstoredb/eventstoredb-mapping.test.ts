import type { RecordedEvent as EsdbRecordedEvent } from '@eventstore/db-client';
import { describe, expect, it } from 'vitest';
import { UspaError } from '../../errors/index.js';
import {
  fromPosition,
  isVisible,
  toClientRevision,
  toPosition,
  toRecordedEvent,
} from './eventstoredb-mapping.js';

const created = new Date('2024-05-01T12:00:00Z');

describe('expected revisions', () => {
  it('maps the expectations that go over the wire onto the client', () => {
    expect(toClientRevision('any')).toBe('any');
    expect(toClientRevision('no_stream')).toBe('no_stream');
    expect(toClientRevision(0)).toBe(0n);
    expect(toClientRevision(41)).toBe(41n);
  });

  it('refuses revisions that are not non-negative integers', () => {
    for (const bad of [-1, 1.5, Number.NaN, 2 ** 60]) {
      expect(() => toClientRevision(bad)).toThrow(UspaError);
    }
  });
});

describe('positions', () => {
  it('sends a position as commit == prepare and reads back the commit position', () => {
    expect(toPosition(123_456)).toEqual({ commit: 123_456n, prepare: 123_456n });
    expect(fromPosition({ commit: 987n, prepare: 987n })).toBe(987);
    expect(fromPosition(toPosition(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('refuses a position that a JS number cannot hold exactly', () => {
    const huge = BigInt(Number.MAX_SAFE_INTEGER) + 2n;
    expect(() => fromPosition({ commit: huge, prepare: huge })).toThrow(/exceeds/);
  });
});

describe('recorded events', () => {
  const base = {
    streamId: 'user-42',
    id: '0b5c2f3e-1c1d-4d8e-9a57-9f0c3cf3d111',
    revision: 3n,
    type: 'Tracked',
    created,
  };

  it('converts a JSON event read from $all', () => {
    const event = {
      ...base,
      isJson: true,
      data: { event: 'Signed Up' },
      metadata: { source: 'web' },
      position: { commit: 5000n, prepare: 5000n },
    } as EsdbRecordedEvent;
    expect(toRecordedEvent(event)).toEqual({
      id: base.id,
      type: 'Tracked',
      streamId: 'user-42',
      revision: 3,
      position: 5000,
      data: { event: 'Signed Up' },
      metadata: { source: 'web' },
      recordedAt: created,
    });
  });

  it('reports -1 when a stream read has no position (servers before 22.6)', () => {
    const event = { ...base, isJson: true, data: {}, metadata: undefined } as EsdbRecordedEvent;
    expect(toRecordedEvent(event)).toMatchObject({ position: -1, metadata: {} });
  });

  it('decodes JSON written as bytes by other tools and keeps other bytes as they are', () => {
    const json = new TextEncoder().encode('{"n":1}');
    const raw = new Uint8Array([0xff, 0x00]);
    const binary = (data: Uint8Array) =>
      ({
        ...base,
        isJson: false,
        data,
        metadata: new TextEncoder().encode('{"a":2}'),
      }) as EsdbRecordedEvent;
    expect(toRecordedEvent(binary(json))).toMatchObject({ data: { n: 1 }, metadata: { a: 2 } });
    expect(toRecordedEvent(binary(raw)).data).toBe(raw);
  });

  it('replaces metadata that is not a JSON object with an empty one', () => {
    const event = { ...base, isJson: true, data: 'x', metadata: ['x'] } as EsdbRecordedEvent;
    expect(toRecordedEvent(event).metadata).toEqual({});
  });
});

describe('visibility', () => {
  it('hides system streams, system event types and the claim streams', () => {
    expect(isVisible('user-1', 'Tracked')).toBe(true);
    expect(isVisible('$stats-127.0.0.1:2113', 'Tracked')).toBe(false);
    expect(isVisible('$$user-1', '$metadata')).toBe(false);
    expect(isVisible('user-1', '$streamDeleted')).toBe(false);
    expect(
      isVisible('uspa-eventid-0b5c2f3e-1c1d-4d8e-9a57-9f0c3cf3d111', 'UspaEventIdClaimed'),
    ).toBe(false);
    expect(isVisible('uspa-profile-1', 'Tracked')).toBe(true);
  });
});
