import { describe, expect, it } from 'vitest';
import { derivedEventId, trackingEventId } from './event-ids.js';

// The ids of stored events: a change would store a retried call a second time.
describe('event ids', () => {
  it('derives the id of a tracking call from its source and messageId, as it always has', () => {
    expect(trackingEventId('web', 'msg-1')).toBe('e2bd74b8-0675-58ca-844d-5786bfccd8d6');
    expect(trackingEventId('wëb', 'msg-ü')).toBe('5f8b152d-de40-57f5-b693-af3808c2f34e');
    expect(trackingEventId('web', 'msg-2')).not.toBe(trackingEventId('web', 'msg-1'));
  });

  it('derives ids of derived events from their kind and parts', () => {
    expect(derivedEventId('DeadLettered', 'a', 'b')).toBe('41b82227-5a19-53b6-b4b6-bba3d0120bc5');
  });
});
