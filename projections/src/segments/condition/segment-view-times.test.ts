import { describe, expect, it } from 'vitest';
import { segmentView } from './segment-view.js';

/** The time an activity entry's view holds for `at`. */
function viewedTime(at: string): number | undefined {
  return segmentView({ activity: [{ type: 'Tracked', at, properties: {} }] }).activity[0]?.at;
}

describe('activity times in the segment view', () => {
  it('reads every ISO time as Date.parse does, near boundaries and far from them', () => {
    const times = [
      '2025-05-01T00:00:00.000Z',
      '2024-02-28T23:59:59.999Z',
      '2024-02-29T12:00:00.000Z',
      '2025-02-29T00:00:00.000Z',
      '2025-02-30T00:00:00.000Z',
      '2025-12-31T23:59:59.999Z',
      '2025-01-31T24:00:00.000Z',
      '1999-12-31T23:59:59.000Z',
      '1970-01-01T00:00:00.000Z',
      '0050-06-01T00:00:00.000Z',
      '2025-13-01T00:00:00.000Z',
      '2025-00-10T00:00:00.000Z',
      '2025-05-01T00:60:00.000Z',
      '2025-05-01 00:00:00.000Z',
      '2025-05-01T00:00:00Z',
      '2025-05-01T00:00:00.000+02:00',
      '2025-05-0xT00:00:00.000Z',
      '+02025-05-01T00:00:00.000Z',
    ];
    for (let i = 0; i < 200; i++) {
      times.push(new Date(Date.UTC(1000, 0, 1) + Math.random() * 40e12).toISOString());
    }
    for (const at of times) {
      const parsed = Date.parse(at);
      expect(viewedTime(at), at).toBe(Number.isFinite(parsed) ? parsed : undefined);
    }
  });
});
