import type { EventStore } from '../ports/event-store.port.js';

export interface EventStats {
  events: number;
  streams: number;
  headPosition: number;
  firstRecordedAt: string | null;
  lastRecordedAt: string | null;
  /** Event counts by type, largest first. */
  types: Record<string, number>;
}

/** Scans the whole log through the port, so it works the same on every adapter. */
export async function collectStats(store: EventStore, pageSize = 4096): Promise<EventStats> {
  const streams = new Set<string>();
  const types = new Map<string, number>();
  let events = 0;
  let after = 0;
  let first: Date | undefined;
  let last: Date | undefined;
  for (;;) {
    const page = await store.readAll({ after, maxCount: pageSize });
    for (const event of page) {
      events += 1;
      streams.add(event.streamId);
      types.set(event.type, (types.get(event.type) ?? 0) + 1);
      first ??= event.recordedAt;
      last = event.recordedAt;
      after = event.position;
    }
    if (page.length < pageSize) break;
  }
  return {
    events,
    streams: streams.size,
    headPosition: after,
    firstRecordedAt: first?.toISOString() ?? null,
    lastRecordedAt: last?.toISOString() ?? null,
    types: Object.fromEntries([...types].sort((a, b) => b[1] - a[1])),
  };
}

export function printStats(stats: EventStats): void {
  const lines = [
    ['events', stats.events.toLocaleString('en-US')],
    ['streams', stats.streams.toLocaleString('en-US')],
    ['head position', String(stats.headPosition)],
    ['first recorded', stats.firstRecordedAt ?? '-'],
    ['last recorded', stats.lastRecordedAt ?? '-'],
    ...Object.entries(stats.types).map(([type, count]) => [
      `  ${type}`,
      count.toLocaleString('en-US'),
    ]),
  ];
  const width = Math.max(...lines.map(([label]) => label?.length ?? 0));
  for (const [label, value] of lines) process.stdout.write(`${label?.padEnd(width)}  ${value}\n`);
}
