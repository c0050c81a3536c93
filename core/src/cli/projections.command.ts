import { Command } from 'commander';
import type { ProjectionHost, ReadModelStore } from '@uspa/projections';
import type { Logger as PinoLogger } from 'pino';
import { openEventStore } from '../composition/event-store.factory.js';
import {
  builtInProjections,
  createProjectionHost,
  openReadModels,
} from '../composition/read-side.factory.js';
import type { UspaConfig } from '../config/config.js';
import { loadConfig } from '../config/load-config.js';
import type { EventStore } from '../ports/event-store.port.js';
import { commandLineLogger, rebuildWithProgress } from './projection-rebuild.js';
import { formatStatuses, storedStatuses } from './projection-status.js';

/**
 * Events a rebuild's catch-up commits at once on the embedded store (see `commitWindow`); the
 * profile projection ends a window sooner once it holds 100,000 changed profiles. A window
 * writes each profile it changed once: with windows of 100,000 events, a person active all
 * through 1M events was written ten times, and over 1M events of 50,000 people the rebuild took
 * about a fifth more CPU (76–81 s against 62–65 s).
 */
export const REBUILD_COMMIT_WINDOW = 1_000_000;

/**
 * `uspa projections status|rebuild <name>`: the read models' projections, on the configured
 * stores. `rebuild` runs the projections in this process: stop the server first (or use the
 * admin API of the running server).
 */
export function projectionsCommand(): Command {
  const projections = new Command('projections').description(
    'show and rebuild the projections that build the read models',
  );

  projections
    .command('status')
    .description('one line per projection: version, serving generation, checkpoint, lag')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) =>
      withReadSide(async ({ config, store, readModels }) => {
        const statuses = await storedStatuses(builtInProjections(config), store, readModels);
        process.stdout.write(
          options.json
            ? `${JSON.stringify({ projections: statuses })}\n`
            : formatStatuses(statuses),
        );
      }),
    );

  projections
    .command('rebuild <name>')
    .description('rebuild one projection blue/green from the start of the log (server stopped)')
    .action(async (name: string) => rebuild([name]));

  return projections;
}

/** `uspa replay`: rebuilds every projection from the start of the log (server stopped). */
export function replayCommand(): Command {
  return new Command('replay')
    .description('rebuild every projection blue/green from the start of the log (server stopped)')
    .action(async () => rebuild('all'));
}

interface ReadSide {
  config: UspaConfig;
  store: EventStore;
  readModels: ReadModelStore;
  logger: PinoLogger;
}

/**
 * Opens the event store and the read models as `serve` does (their problems, such as a stalled
 * WAL checkpointer, reported on stderr), and closes both whatever happens. Embedded documents
 * are written on this thread: a command has nothing else to do meanwhile, and a second thread
 * would only add its memory.
 */
async function withReadSide(work: (side: ReadSide) => Promise<void>): Promise<void> {
  const config = loadConfig(process.env);
  const logger = commandLineLogger(config.log.level);
  const store = await openEventStore(config, logger);
  const readModels = await openReadModels(config, logger, { documentWriter: 'inline' });
  try {
    await work({ config, store, readModels, logger });
  } finally {
    await readModels.close();
    await store.close();
  }
}

/** Rebuilds the projections named (or all), one after the other. */
function rebuild(chosen: string[] | 'all'): Promise<void> {
  return withReadSide(async ({ config, store, readModels, logger }) => {
    // The server is stopped (embedded) and nothing reads the new generation yet: consecutive
    // batches may share large commits. Not on Redis, where one commit is one blocking script.
    const commitWindow = config.readModels.adapter === 'embedded' ? REBUILD_COMMIT_WINDOW : 0;
    const host: ProjectionHost = createProjectionHost(
      config,
      store,
      readModels,
      logger,
      undefined,
      { commitWindow },
    );
    const known = host.projections.map((projection) => projection.name);
    const names = chosen === 'all' ? known : chosen;
    const unknown = names.find((name) => !known.includes(name));
    if (unknown !== undefined) {
      throw new Error(`no projection named "${unknown}" (projections: ${known.join(', ')})`);
    }
    await host.start({ serving: false });
    try {
      for (const name of names) {
        await rebuildWithProgress(host, name, {
          progress: process.stderr,
          result: process.stdout,
        });
      }
    } finally {
      await host.stop();
    }
  });
}
