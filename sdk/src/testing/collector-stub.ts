import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { BatchBody, SegmentMessage } from '../collect/segment-message.js';

/**
 * One request to `/v1/batch` as the stub received and answered it.
 *
 * @example
 * expect(collector.batches.map((batch: RecordedBatch) => batch.status)).toEqual([503, 200]);
 */
export interface RecordedBatch {
  body: BatchBody;
  status: number;
  contentType: string | undefined;
  /** `no-cors` for `navigator.sendBeacon`, `cors` for `fetch`. */
  fetchMode: string | undefined;
  authorization: string | undefined;
}

/**
 * A stand-in for the USPA server in SDK tests: serves HTML pages and the built bundles
 * (`/sdk/*`), records every `/v1/batch` body, and answers with scripted statuses (200 by
 * default).
 *
 * @example
 * const collector = await startCollectorStub({ bundleDir: await ensureBrowserBundle() });
 * collector.page('/', '<script src="/sdk/uspa.js"></script>…');
 * collector.respondWith(503); // the next batch fails once
 * await collector.waitFor((messages) => messages.length === 2);
 */
export interface CollectorStub {
  readonly url: string;
  /** The HTTP server, to attach more (a socket.io gateway) to the same origin. */
  readonly server: Server;
  readonly batches: RecordedBatch[];
  /** Every requested path (with query), in order. */
  readonly paths: string[];
  /** Messages of the batches answered 2xx, in arrival order. */
  delivered(): SegmentMessage[];
  respondWith(...statuses: number[]): void;
  /** Serves `body` at `path` (HTML unless another content type is given). */
  page(path: string, body: string, contentType?: string): void;
  /** Resolves with the delivered messages once `done(delivered)` holds; rejects on timeout. */
  waitFor(
    done: (messages: SegmentMessage[]) => boolean,
    timeoutMs?: number,
  ): Promise<SegmentMessage[]>;
  close(): Promise<void>;
}

/**
 * Starts a {@link CollectorStub} on a free port of 127.0.0.1.
 *
 * @example
 * const collector = await startCollectorStub({ bundleDir });
 * afterAll(() => collector.close());
 */
export async function startCollectorStub(
  options: { bundleDir?: string } = {},
): Promise<CollectorStub> {
  const batches: RecordedBatch[] = [];
  const statuses: number[] = [];
  const pages = new Map<string, { body: string; contentType: string }>();
  const paths: string[] = [];

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    paths.push(request.url ?? '/');
    const path = new URL(request.url ?? '/', 'http://stub').pathname;
    if (request.method === 'POST' && path === '/v1/batch') {
      const body = JSON.parse(await readText(request)) as BatchBody;
      const status = statuses.shift() ?? 200;
      batches.push({
        body,
        status,
        contentType: request.headers['content-type'],
        fetchMode: request.headers['sec-fetch-mode'],
        authorization: request.headers.authorization,
      });
      const answer = status < 300 ? { success: true } : { title: 'scripted failure', status };
      return send(response, status, 'application/json', JSON.stringify(answer));
    }
    const page = pages.get(path);
    if (page !== undefined) return send(response, 200, page.contentType, page.body);
    if (path.startsWith('/sdk/') && options.bundleDir && !path.includes('..')) {
      const file = await readFile(join(options.bundleDir, path.slice(5))).catch(() => undefined);
      if (file) return send(response, 200, 'text/javascript; charset=utf-8', file);
    }
    send(response, 404, 'text/plain', 'not found');
  };
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) =>
      send(response, 500, 'text/plain', String(error)),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const delivered = () =>
    batches.filter((batch) => batch.status < 300).flatMap((batch) => batch.body.batch);
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    batches,
    paths,
    delivered,
    respondWith: (...next) => void statuses.push(...next),
    page: (path, body, contentType = 'text/html; charset=utf-8') =>
      void pages.set(path, { body, contentType }),
    async waitFor(done, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!done(delivered())) {
        if (Date.now() > deadline) {
          throw new Error(
            `collector: condition not met in ${timeoutMs} ms; got ${JSON.stringify(batches)}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      return delivered();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(response: ServerResponse, status: number, type: string, body: string | Buffer): void {
  response.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
  response.end(body);
}

async function readText(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
