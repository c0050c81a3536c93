import { describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../lib/console-socket.js';
import { matchesLiveFilter, toLiveFilter, withArrivals } from './live-filter.js';

function anEvent(position: number, overrides: Partial<LiveEvent> = {}): LiveEvent {
  return {
    id: `event-${position}`,
    type: 'Tracked',
    streamId: 'user-42',
    position,
    recordedAt: '2026-11-29T10:00:00.000Z',
    data: { type: 'track', event: 'Order Completed' },
    metadata: { writeKeyId: 'wk_shop' },
    ...overrides,
  };
}

describe('live events filter', () => {
  it('sends only what was filled in, trimmed and without duplicates', () => {
    expect(
      toLiveFilter({
        types: ['Tracked', 'Tracked', 'PageViewed'],
        names: ' Order Completed, ,Signed Up,Order Completed ',
        writeKeyId: '  ',
      }),
    ).toEqual({ types: ['Tracked', 'PageViewed'], names: ['Order Completed', 'Signed Up'] });
    expect(toLiveFilter({ types: [], names: '', writeKeyId: ' wk_shop ' })).toEqual({
      writeKeyId: 'wk_shop',
    });
  });

  it('matches on type, on the track or page name, and on the write key', () => {
    const order = anEvent(1);
    const page = anEvent(2, { type: 'PageViewed', data: { type: 'page', name: 'Pricing' } });
    const fromApp = anEvent(3, { metadata: { writeKeyId: 'wk_app' } });

    expect(matchesLiveFilter(order, {})).toBe(true);
    expect(matchesLiveFilter(page, { types: ['Tracked'] })).toBe(false);
    expect(matchesLiveFilter(page, { names: ['Pricing'] })).toBe(true);
    expect(matchesLiveFilter(order, { names: ['Pricing'] })).toBe(false);
    const identify = anEvent(4, {
      type: 'Identified',
      data: { type: 'identify', name: 'Pricing' },
    });
    expect(matchesLiveFilter(identify, { names: ['Pricing'] })).toBe(false);
    expect(matchesLiveFilter(fromApp, { writeKeyId: 'wk_shop' })).toBe(false);
    expect(matchesLiveFilter(order, { types: ['Tracked'], writeKeyId: 'wk_shop' })).toBe(true);
  });

  it('puts arrivals on top, newest first, and keeps at most the limit', () => {
    const rows = [anEvent(3), anEvent(2), anEvent(1)];
    const next = withArrivals(rows, [anEvent(4), anEvent(5)], 4);
    expect(next.map((event) => event.position)).toEqual([5, 4, 3, 2]);

    const flood = Array.from({ length: 10 }, (_, index) => anEvent(10 + index));
    expect(withArrivals(rows, flood, 4).map((event) => event.position)).toEqual([19, 18, 17, 16]);
  });
});
