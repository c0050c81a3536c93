import { describe, expect, it } from 'vitest';
import { perMinuteSeries, withMinute } from './per-minute.js';

const at = (time: string) => Date.parse(`2026-11-29T${time}:00.000Z`);

describe('events per minute', () => {
  it('fills quiet minutes with zeros and keeps the last minutes up to the newest', () => {
    const series = perMinuteSeries(
      [
        { minute: '2026-11-29T10:00:00.000Z', count: 4 },
        { minute: '2026-11-29T10:03:00.000Z', count: 7 },
      ],
      5,
    );
    expect(series).toEqual([
      { at: at('09:59'), count: 0 },
      { at: at('10:00'), count: 4 },
      { at: at('10:01'), count: 0 },
      { at: at('10:02'), count: 0 },
      { at: at('10:03'), count: 7 },
    ]);
  });

  it('replaces the running count of the current minute and appends the next one', () => {
    const start = perMinuteSeries([{ minute: '2026-11-29T10:03:00.000Z', count: 7 }], 3);
    const updated = withMinute(start, { minute: '2026-11-29T10:03:00.000Z', count: 12 }, 3);
    expect(updated.map((point) => point.count)).toEqual([0, 0, 12]);

    const next = withMinute(updated, { minute: at('10:04'), count: 1 }, 3);
    expect(next).toEqual([
      { at: at('10:02'), count: 0 },
      { at: at('10:03'), count: 12 },
      { at: at('10:04'), count: 1 },
    ]);
  });

  it('ignores an update older than the chart or with an unreadable minute', () => {
    const start = perMinuteSeries([{ minute: '2026-11-29T10:03:00.000Z', count: 7 }], 2);
    expect(withMinute(start, { minute: '2026-11-29T09:00:00.000Z', count: 99 }, 2)).toEqual(start);
    expect(withMinute(start, { minute: 'not a time', count: 99 }, 2)).toEqual(start);
  });
});
