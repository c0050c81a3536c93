import { createServer } from 'node:http';

/** A running {@link startBareServer}. */
export interface BareServer {
  base: string;
  close(): Promise<void>;
}

/**
 * A `node:http` server that answers each profile lookup with bytes USPA answered before, and
 * does nothing else: no key check, no read. Loaded like USPA, in the same process, it shows what
 * this machine, Node's HTTP server and the load generator allow on their own, so a USPA figure
 * can be read against it.
 *
 * `bodies[i]` answers `customer-<n>` for every n with n % bodies.length === i.
 *
 * @example
 * const bare = await startBareServer(['{"id":"…"}']);
 * await load(bare.base);
 * await bare.close();
 */
export async function startBareServer(bodies: readonly string[]): Promise<BareServer> {
  const server = createServer((request, response) => {
    const person = Number(/customer-(\d+)$/.exec(request.url ?? '')?.[1] ?? 0);
    const body = bodies[person % bodies.length] ?? '{}';
    response.statusCode = 200;
    response.setHeader('Content-Type', 'application/json; charset=utf-8');
    response.setHeader('Content-Length', Buffer.byteLength(body));
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    base: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
