import { describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../ports/event-store.port.js';
import { LIVE_DATA_LIMIT, parseLiveFilter, passes, toLiveEvent } from './live-event.js';

const event = (type: string, data: unknown, writeKeyId = 'wk-1'): RecordedEvent => ({
  id: 'e-1',
  type,
  streamId: 'user-ada',
  revision: 0,
  position: 7,
  data,
  metadata: { writeKeyId },
  recordedAt: new Date('2026-03-01T09:00:00.000Z'),
});

describe('toLiveEvent', () => {
  it('sends the event as recorded, with its time as ISO text', () => {
    expect(toLiveEvent(event('Tracked', { event: 'Signed Up' }))).toEqual({
      id: 'e-1',
      type: 'Tracked',
      streamId: 'user-ada',
      position: 7,
      recordedAt: '2026-03-01T09:00:00.000Z',
      data: { event: 'Signed Up' },
      metadata: { writeKeyId: 'wk-1' },
    });
  });

  it('replaces data over 16 KB of JSON by its size in bytes', () => {
    const fits = { text: 'x'.repeat(LIVE_DATA_LIMIT - 11) };
    expect(toLiveEvent(event('Tracked', fits)).data).toBe(fits);
    const big = { text: 'é'.repeat(LIVE_DATA_LIMIT / 2) };
    expect(toLiveEvent(event('Tracked', big)).data).toEqual({
      truncated: true,
      bytes: LIVE_DATA_LIMIT + 11,
    });
  });
});

describe('live filters', () => {
  it('let through what matches every field given', () => {
    const filter = parseLiveFilter({
      types: ['Tracked', 'PageViewed'],
      names: ['Pricing', 'Signed Up'],
      writeKeyId: 'wk-1',
    })!;
    expect(passes(filter, event('Tracked', { event: 'Signed Up' }))).toBe(true);
    expect(passes(filter, event('PageViewed', { name: 'Pricing' }))).toBe(true);
    expect(passes(filter, event('Tracked', { event: 'Pricing Viewed' }))).toBe(false);
    expect(passes(filter, event('Identified', { name: 'Pricing' }))).toBe(false);
    expect(passes(filter, event('Tracked', { event: 'Signed Up' }, 'wk-2'))).toBe(false);
    expect(passes(parseLiveFilter({})!, event('SegmentEntered', {}))).toBe(true);
  });

  it('treat empty lists as no filter and refuse malformed ones', () => {
    expect(parseLiveFilter({ types: [], names: [], writeKeyId: '' })).toEqual({});
    expect(parseLiveFilter(null)).toEqual({});
    for (const bad of [
      'Tracked',
      [],
      { types: 'Tracked' },
      { names: [1] },
      { writeKeyId: 3 },
      { types: Array(101).fill('T') },
    ]) {
      expect(parseLiveFilter(bad), JSON.stringify(bad)).toBeUndefined();
    }
  });
});
