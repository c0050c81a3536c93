/** A realtime gateway on a real HTTP server on a free port, with plain ports, for the tests. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import type { ApiKeyDirectory } from '../keys/api-key-directory.js';
import { PlainPersonalization, type PlainRule } from './plain-personalization.fixture.js';
import {
  attachRealtimeGateway,
  type RealtimeGateway,
  type RealtimeGatewayOptions,
} from './realtime-gateway.js';
import { createRealtimeMetrics } from './realtime-metrics.js';
import { VisitorClient, type VisitorClientOptions } from './visitor-client.fixture.js';

export interface GatewayUnderTest {
  readonly http: Server;
  readonly base: string;
  readonly source: PlainPersonalization;
  readonly registry: Registry;
  readonly gateway: RealtimeGateway;
  /** A connected client, closed by {@link GatewayUnderTest.stop}. */
  visitor(auth: Record<string, unknown>, options?: VisitorClientOptions): VisitorClient;
  /** A metric as Prometheus would scrape it. */
  metric(name: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startGatewayUnderTest(
  keys: ApiKeyDirectory,
  rules: PlainRule[],
  options: RealtimeGatewayOptions = {},
): Promise<GatewayUnderTest> {
  const http = createServer((_request, response) => response.end('plain http'));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const source = new PlainPersonalization(rules);
  const registry = new Registry();
  const gateway = await attachRealtimeGateway(
    http,
    {
      keys,
      source,
      feed: source,
      logger: pino({ level: 'silent' }),
      metrics: createRealtimeMetrics(registry),
    },
    options,
  );
  const clients: VisitorClient[] = [];
  return {
    http,
    base,
    source,
    registry,
    gateway,
    visitor: (auth, clientOptions) => {
      const client = new VisitorClient(base, auth, clientOptions);
      clients.push(client);
      return client;
    },
    metric: (name) => registry.getSingleMetricAsString(name),
    stop: async () => {
      for (const client of clients) client.close();
      await gateway.close();
      await new Promise((resolve) => http.close(resolve));
    },
  };
}
