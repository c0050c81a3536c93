import type { ProjectionControl, ProjectionStatus } from '@uspa/projections';
import { Gauge, type Registry } from 'prom-client';

/**
 * Projection status as Prometheus gauges, read from the host at scrape time: checkpoint, lag in
 * events and seconds, throughput and parked events, per projection and role (serving/building).
 */
export function registerProjectionMetrics(registry: Registry, host: ProjectionControl): void {
  const labelNames = ['projection', 'role'] as const;
  let statuses: Promise<ProjectionStatus[]> | undefined;
  // One status read per scrape, shared by the gauges below.
  const current = (): Promise<ProjectionStatus[]> => {
    // Projections that are not running (their thread starting again) have no figures to give.
    statuses ??= host
      .statuses()
      .catch(() => [])
      .finally(() => setImmediate(() => (statuses = undefined)));
    return statuses;
  };
  const gauge = (
    name: string,
    help: string,
    pick: (status: NonNullable<ProjectionStatus['serving']>) => number,
  ): void => {
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        this.reset();
        for (const status of await current()) {
          for (const role of ['serving', 'building'] as const) {
            const generation = status[role];
            if (generation) this.set({ projection: status.name, role }, pick(generation));
          }
        }
      },
    });
  };
  gauge('uspa_projection_checkpoint', 'Last global position committed', (s) => s.checkpoint);
  gauge(
    'uspa_projection_lag_events',
    'Log positions between checkpoint and head',
    (s) => s.lagEvents,
  );
  gauge(
    'uspa_projection_lag_seconds',
    'Age of the last event handled while behind',
    (s) => s.lagSeconds,
  );
  gauge(
    'uspa_projection_events_per_second',
    'Events handled per second (10 s window)',
    (s) => s.eventsPerSecond,
  );
  gauge(
    'uspa_projection_parked_events',
    'Events parked in the dead-letter stream since start',
    (s) => s.parked,
  );
}
