import { describe, expect, it } from 'vitest';
import {
  aPageView,
  aStoredEvent,
  aTrackingEvent,
  anIdentify,
  storedEventOf,
} from './sample-events.js';

describe('sample events', () => {
  it('are JSON, as the host hands them over, with a fresh message id each', () => {
    for (const build of [aTrackingEvent, aPageView, anIdentify]) {
      const event = build();
      expect(JSON.parse(JSON.stringify(event))).toEqual(event);
      expect(build().messageId).not.toBe(event.messageId);
    }
  });

  it('take overrides of top-level fields', () => {
    const identify = anIdentify({ userId: 'u-7', traits: { email: 'grace@navy.example' } });
    expect(identify).toMatchObject({ type: 'identify', userId: 'u-7' });
    expect(identify.traits).toEqual({ email: 'grace@navy.example' });
    expect(aTrackingEvent({ event: 'Signed Up' }).event).toBe('Signed Up');
  });

  it('store a tracking call the way the host records it', () => {
    const identify = anIdentify();
    const stored = storedEventOf(identify);
    const { type: _type, ...data } = identify;
    expect(stored).toMatchObject({
      type: 'Identified',
      streamId: 'user-user-42',
      data,
      metadata: { receivedAt: identify.receivedAt, schemaVersion: 1 },
    });
    expect(storedEventOf(aPageView()).streamId).toBe(`anon-${aPageView().anonymousId}`);
  });

  it('give stored events rising positions', () => {
    const [first, second] = [aStoredEvent(), aStoredEvent()];
    expect(second.position).toBeGreaterThan(first.position);
    expect(first).toMatchObject({ type: 'Tracked', data: { event: 'Order Completed' } });
  });
});
