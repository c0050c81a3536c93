import { Command, InvalidArgumentError } from 'commander';
import { withStore } from './with-store.js';
import type { EventFilter, RecordedEvent } from '../ports/event-store.port.js';
import { collectStats, printStats } from './event-stats.js';

/** `uspa events read|tail|stats`: look into the log of the configured store. */
export function eventsCommand(): Command {
  const events = new Command('events').description('read the event log');

  events
    .command('read <streamId>')
    .description('print the events of one stream as NDJSON')
    .option('--backwards', 'newest first')
    .option('--from <revision>', 'first revision to print', toInteger)
    .option('--limit <count>', 'at most this many events', toInteger, 1000)
    .action(
      async (streamId: string, options: { backwards?: boolean; from?: number; limit: number }) =>
        withStore(async (store) => {
          const result = await store.readStream(streamId, {
            direction: options.backwards ? 'backwards' : 'forwards',
            fromRevision: options.from,
            maxCount: options.limit,
          });
          if (result.status !== 'ok') {
            throw new Error(`stream ${streamId} is ${result.status.replace('_', ' ')}`);
          }
          for (const event of result.events) writeLine(event);
        }),
    );

  events
    .command('tail')
    .description('follow the log, printing each event as NDJSON until interrupted')
    .option('--from <start|end|position>', 'where to begin', toStart, 'end' as const)
    .option('--type <type...>', 'only these event types')
    .option('--stream-prefix <prefix...>', 'only streams starting with these prefixes')
    .option('--limit <count>', 'stop after this many events', toInteger)
    .action(
      async (options: {
        from: 'start' | 'end' | number;
        type?: string[];
        streamPrefix?: string[];
        limit?: number;
      }) =>
        withStore(async (store) => {
          const controller = new AbortController();
          const stop = (): void => controller.abort();
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
          const filter: EventFilter | undefined = options.type
            ? { eventTypes: options.type }
            : options.streamPrefix
              ? { streamPrefixes: options.streamPrefix }
              : undefined;
          let printed = 0;
          for await (const event of store.subscribeToAll({
            from: options.from,
            filter,
            signal: controller.signal,
          })) {
            writeLine(event);
            if (options.limit !== undefined && ++printed >= options.limit) break;
          }
        }),
    );

  events
    .command('stats')
    .description('count events, streams and event types')
    .option('--json', 'print JSON instead of a table')
    .action(async (options: { json?: boolean }) =>
      withStore(async (store) => {
        const stats = await collectStats(store);
        if (options.json) process.stdout.write(`${JSON.stringify(stats)}\n`);
        else printStats(stats);
      }),
    );

  return events;
}

function writeLine(event: RecordedEvent): void {
  const { position, streamId, revision, type, id, recordedAt, data, metadata } = event;
  process.stdout.write(
    `${JSON.stringify({ position, streamId, revision, type, id, recordedAt, data, metadata })}\n`,
  );
}

function toInteger(value: string): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < 0) {
    throw new InvalidArgumentError('expected a non-negative integer');
  }
  return number;
}

function toStart(value: string): 'start' | 'end' | number {
  return value === 'start' || value === 'end' ? value : toInteger(value);
}
