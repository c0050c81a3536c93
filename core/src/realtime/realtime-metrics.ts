import type { PersonalizeRefusal } from '@uspa/sdk';
import { Counter, Gauge, type Registry } from 'prom-client';

/** What the realtime gateway reports as it runs. */
export interface RealtimeMetrics {
  clientConnected(): void;
  clientDisconnected(): void;
  /** A message sent to a visitor: a full snapshot or a change. */
  pushed(kind: 'snapshot' | 'changed'): void;
  refused(code: PersonalizeRefusal['code']): void;
}

/** Reports nothing: the default when no registry is given. */
export const NO_REALTIME_METRICS: RealtimeMetrics = {
  clientConnected: () => undefined,
  clientDisconnected: () => undefined,
  pushed: () => undefined,
  refused: () => undefined,
};

/**
 * Realtime metrics in a Prometheus registry: `uspa_realtime_connected_clients` (this process),
 * `uspa_realtime_pushes_total{kind}` and `uspa_realtime_refusals_total{code}`.
 *
 * @example
 * const metrics = createRealtimeMetrics(registry);
 * const gateway = await attachRealtimeGateway(server, { ...deps, metrics }, options);
 */
export function createRealtimeMetrics(registry: Registry): RealtimeMetrics {
  const connected = new Gauge({
    name: 'uspa_realtime_connected_clients',
    help: 'Visitors connected to the realtime gateway of this process',
    registers: [registry],
  });
  const pushes = new Counter({
    name: 'uspa_realtime_pushes_total',
    help: 'Personalization messages sent to visitors, by kind (snapshot or changed)',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  const refusals = new Counter({
    name: 'uspa_realtime_refusals_total',
    help: 'Realtime handshakes refused, by refusal code',
    labelNames: ['code'] as const,
    registers: [registry],
  });
  return {
    clientConnected: () => connected.inc(),
    clientDisconnected: () => connected.dec(),
    pushed: (kind) => pushes.inc({ kind }),
    refused: (code) => refusals.inc({ code }),
  };
}
