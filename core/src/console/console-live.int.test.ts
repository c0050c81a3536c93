import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import {
  startTestServer,
  TEST_ADMIN_KEY,
  TEST_WRITE_KEY,
  type TestServer,
} from '../testing/uspa-test-server.js';
import { createKey, signedInCookie } from './console-session.fixture.js';
import type { LiveEvent } from './live-event.js';

let uspa: TestServer;
const sockets: Socket[] = [];

beforeAll(async () => {
  uspa = await startTestServer();
});

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.close();
});

afterAll(async () => {
  await uspa.stop();
});

function connect(server: TestServer, credentials: { key?: unknown; cookie?: string } = {}): Socket {
  const socket = io(`${server.base}/console`, {
    reconnection: false,
    forceNew: true,
    transports: ['websocket'],
    ...(credentials.key !== undefined && { auth: { key: credentials.key } }),
    ...(credentials.cookie && { extraHeaders: { cookie: credentials.cookie } }),
  });
  sockets.push(socket);
  return socket;
}

function connected(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
}

function refusal(socket: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => reject(new Error('the handshake was accepted')));
    socket.once('connect_error', (error: Error) => resolve(error.message));
  });
}

/** The next message `event` whose payload `accept`s, within `timeoutMs`. */
function next<T>(socket: Socket, event: string, accept: (payload: T) => boolean, timeoutMs = 2000) {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, listener);
      reject(new Error(`no matching ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (payload: T): void => {
      if (!accept(payload)) return;
      clearTimeout(timer);
      socket.off(event, listener);
      resolve(payload);
    };
    socket.on(event, listener);
  });
}

async function track(server: TestServer, event: string, userId = 'ada'): Promise<void> {
  const response = await fetch(`${server.base}/v1/track`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: server.writeAuth },
    body: JSON.stringify({ userId, event, properties: { plan: 'pro' } }),
  });
  expect(response.status).toBe(200);
}

describe('the /console namespace', () => {
  it('refuses a handshake without a console key or session', async () => {
    expect(await refusal(connect(uspa))).toBe('unauthorized');
    expect(await refusal(connect(uspa, { key: TEST_WRITE_KEY }))).toBe('unauthorized');
    expect(await refusal(connect(uspa, { key: 'uspa_sk_unknown_0123456789' }))).toBe(
      'unauthorized',
    );
    expect(await refusal(connect(uspa, { cookie: 'uspa_session=v1.x.9999999999.forged' }))).toBe(
      'unauthorized',
    );
  });

  it('sends a tracked event to a console signed in with the session cookie, within 2 s', async () => {
    const socket = connect(uspa, { cookie: await signedInCookie(uspa, TEST_ADMIN_KEY) });
    await connected(socket);
    const arriving = next<LiveEvent>(socket, 'live-event', (e) => e.type === 'Tracked');
    await track(uspa, 'Signed Up');
    const live = await arriving;
    expect(live).toMatchObject({
      type: 'Tracked',
      streamId: 'user-ada',
      data: { event: 'Signed Up', userId: 'ada', properties: { plan: 'pro' } },
      metadata: { writeKeyId: expect.any(String) as string },
    });
    expect(live.position).toBeGreaterThan(0);
    expect(Date.parse(live.recordedAt)).toBeGreaterThan(Date.now() - 10_000);
  });

  it('sends only the events a console filtered for', async () => {
    const socket = connect(uspa, { key: TEST_ADMIN_KEY });
    await connected(socket);
    const answer = (await socket.emitWithAck('filter', { names: ['Order Completed'] })) as {
      ok: boolean;
    };
    expect(answer).toEqual({ ok: true });
    const received: LiveEvent[] = [];
    socket.on('live-event', (event: LiveEvent) => received.push(event));
    const arriving = next<LiveEvent>(socket, 'live-event', () => true);
    await track(uspa, 'Product Viewed', 'bob');
    await track(uspa, 'Order Completed', 'bob');
    expect((await arriving).data).toMatchObject({ event: 'Order Completed', userId: 'bob' });
    expect(received.map((event) => (event.data as { event: string }).event)).toEqual([
      'Order Completed',
    ]);
    expect(await socket.emitWithAck('filter', { names: 'Order Completed' })).toEqual({ ok: false });
  });

  it('counts the interaction events of the current minute every 2 s', async () => {
    // The count restarts with each minute: keep the event and the tick that counts it in one.
    const left = 60_000 - (Date.now() % 60_000);
    if (left < 5000) await new Promise((resolve) => setTimeout(resolve, left + 50));
    const socket = connect(uspa, { key: TEST_ADMIN_KEY });
    await connected(socket);
    await track(uspa, 'Minute Counted', 'cy');
    const minute = await next<{ minute: string; count: number }>(
      socket,
      'minute',
      (m) => m.count > 0,
      5000,
    );
    const now = Date.now();
    expect(minute.minute).toBe(new Date(now - (now % 60_000)).toISOString());
    expect(minute.count).toBeGreaterThanOrEqual(1);
  });

  it('disconnects a console whose key is revoked', async () => {
    const created = await createKey(uspa, { type: 'secret', name: 'brief', scopes: ['console'] });
    const socket = connect(uspa, { key: created.key });
    await connected(socket);
    const disconnected = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    await fetch(`${uspa.base}/v1/admin/keys/${created.id}`, {
      method: 'DELETE',
      headers: { authorization: uspa.adminAuth },
    });
    expect(await disconnected).toBe('io server disconnect');
  });

  it('is served when this process runs no realtime personalisation', async () => {
    const quiet = await startTestServer({ USPA_REALTIME: 'false' });
    try {
      expect(await refusal(connect(quiet))).toBe('unauthorized');
      const socket = connect(quiet, { key: TEST_ADMIN_KEY });
      await connected(socket);
      const arriving = next<LiveEvent>(socket, 'live-event', (e) => e.type === 'Tracked');
      await track(quiet, 'Quiet Event');
      expect((await arriving).data).toMatchObject({ event: 'Quiet Event' });
      const personalize = io(`${quiet.base}/personalize`, {
        reconnection: false,
        forceNew: true,
        transports: ['websocket'],
      });
      sockets.push(personalize);
      expect(await refusal(personalize)).toBe('Invalid namespace');
    } finally {
      await quiet.stop();
    }
  });
});
