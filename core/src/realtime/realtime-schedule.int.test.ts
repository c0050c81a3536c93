/**
 * A content rule's start and end times reach pages already open: a real server, a rule created
 * through the API to run for a moment a little ahead, and a real socket.io visitor that sends
 * nothing meanwhile.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TEST_WRITE_KEY, type TestServer } from '../testing/uspa-test-server.js';
import { VisitorClient } from './visitor-client.fixture.js';

let uspa: TestServer;
beforeAll(async () => {
  uspa = await startTestServer();
});
afterAll(async () => {
  await uspa?.stop();
});

describe('content rules on a schedule', () => {
  it('pushes a rule’s content when its start time comes, and withdraws it at its end', async () => {
    const visitor = new VisitorClient(uspa.base, {
      writeKey: TEST_WRITE_KEY,
      anonymousId: 'a-flash',
      url: 'https://shop.example/',
    });
    try {
      const snapshot = await visitor.next();
      expect(snapshot.event).toBe('snapshot');
      expect(snapshot.payload.content).not.toHaveProperty('banner');

      // Defined while the visitor is connected, for a moment a little ahead: nothing changes
      // for them until it starts.
      const startsAt = Date.now() + 1000;
      const endsAt = startsAt + 1000;
      const created = await fetch(`${uspa.base}/v1/content-rules`, {
        method: 'POST',
        headers: { authorization: uspa.adminAuth, 'content-type': 'application/json' },
        body: JSON.stringify({
          name: 'Flash sale',
          slot: 'banner',
          content: { text: 'Flash sale: −30 % for a moment' },
          startsAt: new Date(startsAt).toISOString(),
          endsAt: new Date(endsAt).toISOString(),
        }),
      });
      expect(created.status).toBe(201);
      const rule = (await created.json()) as { id: string };

      const started = await visitor.next(5000);
      expect(Date.now()).toBeGreaterThanOrEqual(startsAt);
      expect(started).toEqual({
        event: 'changed',
        payload: {
          content: {
            banner: {
              ruleId: rule.id,
              slot: 'banner',
              content: { text: 'Flash sale: −30 % for a moment' },
            },
          },
        },
      });
      const ended = await visitor.next(5000);
      expect(Date.now()).toBeGreaterThanOrEqual(endsAt);
      expect(ended).toEqual({ event: 'changed', payload: { content: { banner: null } } });
      expect(visitor.unread()).toEqual([]);
    } finally {
      visitor.close();
    }
  });
});
