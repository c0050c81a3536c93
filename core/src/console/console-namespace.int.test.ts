import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { Server } from 'socket.io';
import { io, type Socket } from 'socket.io-client';
import { SqliteEventStore } from '../adapters/sqlite/sqlite-event-store.js';
import { createApiKey } from '../keys/api-key-commands.js';
import { ApiKeyDirectory } from '../keys/api-key-directory.js';
import { serveConsoleNamespace, type ConsoleLive } from './console-namespace.js';
import { ConsoleSessions } from './console-sessions.js';
import { LiveFeed } from './live-feed.js';
import type { LiveEvent } from './live-event.js';
import { LogTally } from './log-tally.js';

let store: SqliteEventStore;
let http: HttpServer;
let socketServer: Server;
let live: ConsoleLive;
let client: Socket;
const secret = 'uspa_sk_namespace_test_0123456789';

beforeEach(async () => {
  store = new SqliteEventStore({ file: ':memory:', synchronous: 'FULL', pollIntervalMs: 20 });
  const keys = new ApiKeyDirectory();
  const { key } = await createApiKey(store, { type: 'secret', scopes: ['console'], secret });
  keys.apply({ type: 'ApiKeyCreated', data: key });
  http = createServer();
  socketServer = new Server(http, { serveClient: false });
  const logger = pino({ level: 'silent' });
  live = serveConsoleNamespace(
    socketServer,
    {
      keys,
      sessions: new ConsoleSessions(Buffer.alloc(32, 1)),
      feed: new LiveFeed(store, logger),
      tally: new LogTally(store),
      logger,
    },
    { maxEventsPerSecond: 3, tickMs: 200 },
  );
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  client = io(`http://127.0.0.1:${port}/console`, {
    auth: { key: secret },
    reconnection: false,
    forceNew: true,
    transports: ['websocket'],
  });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', resolve);
    client.once('connect_error', reject);
  });
});

afterEach(async () => {
  client.close();
  await live.close();
  socketServer.engine.close();
  await new Promise((resolve) => http.close(resolve));
  await store.close();
});

describe('serveConsoleNamespace', () => {
  it('sends a console at most its share of events a second and tells it how many it missed', async () => {
    const received: LiveEvent[] = [];
    client.on('live-event', (event: LiveEvent) => received.push(event));
    const dropped = new Promise<{ count: number }>((resolve) => client.once('dropped', resolve));
    await store.append(
      'user-ada',
      Array.from({ length: 10 }, (_, n) => ({ type: 'Tracked', data: { event: `E${n}` } })),
    );
    expect(await dropped).toEqual({ count: 7 });
    expect(received.map((event) => (event.data as { event: string }).event)).toEqual([
      'E0',
      'E1',
      'E2',
    ]);
    expect(live.connectedConsoles()).toBe(1);
  });

  it('truncates large event data', async () => {
    const arriving = new Promise<LiveEvent>((resolve) => client.once('live-event', resolve));
    await store.append('user-ada', [{ type: 'Tracked', data: { blob: 'x'.repeat(20_000) } }]);
    expect((await arriving).data).toEqual({ truncated: true, bytes: 20_011 });
  });
});
