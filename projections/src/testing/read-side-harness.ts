import { createHash } from 'node:crypto';
import type { ProjectionEventLog } from '../ports/projection-event-log.port.js';
import type { ReadModelStore } from '../ports/read-model-store.port.js';
import { ProjectionGenerations } from '../runtime/projection-generations.js';
import { ProjectionHost } from '../runtime/projection-host.js';
import type { Projection } from '../runtime/projection.js';
import { projectionStorage } from '../runtime/projection-storage.js';
import type { GivenInteraction } from './an-interaction.js';

const quiet = { info() {}, warn() {}, error() {} };

/** Appends the given interactions in order, one append each, as collection would. */
export async function given(
  log: ProjectionEventLog,
  interactions: readonly GivenInteraction[],
): Promise<void> {
  for (const { streamId, event } of interactions) await log.append(streamId, [event]);
}

/**
 * Runs `projections` until they have handled every event of the log, then stops them. The
 * returned host can still answer status and read its metadata.
 */
export async function project(
  log: ProjectionEventLog,
  store: ReadModelStore,
  projections: readonly Projection[],
  options: { batchSize?: number; commitWindow?: number } = {},
): Promise<ProjectionHost> {
  const host = new ProjectionHost(
    projections,
    { log, store, logger: quiet },
    {
      batchSize: options.batchSize ?? 500,
      ...(options.commitWindow === undefined ? {} : { commitWindow: options.commitWindow }),
      retry: { handlerAttempts: 2, baseDelayMs: 5, maxDelayMs: 50 },
    },
  );
  await host.start();
  for (const projection of projections) {
    await host.awaitRebuild(projection.name);
    const [head] = await log.readAll({
      direction: 'backwards',
      maxCount: 1,
      filter: { eventTypes: projection.handles },
    });
    // Deferred work (search indexing after a catch-up) belongs to the read model too.
    const reached = await host
      .serving(projection.name)
      ?.waitFor(head?.position ?? 0, 60_000, { settled: true });
    if (reached === false) throw new Error(`${projection.name} did not catch up`);
  }
  await host.stop();
  return host;
}

/**
 * Everything a projection's serving generation holds (key-values and documents), in a
 * canonical form; `digest` hashes it. Two read models are equal when their snapshots are.
 */
export async function snapshot(
  store: ReadModelStore,
  projection: Projection,
): Promise<{
  keyValues: Record<string, string>;
  documents: Record<string, unknown>;
  digest: string;
}> {
  const meta = await new ProjectionGenerations(store).read(projection.name);
  if (!meta.serving) throw new Error(`${projection.name} has no serving generation`);
  const prefix = projectionStorage.keyPrefix({
    projection: projection.name,
    generation: meta.serving.generation,
  });
  const keys: string[] = [];
  for await (const key of store.keyValues.scanPrefix(prefix)) keys.push(key);
  keys.sort();
  const values = await store.keyValues.getMany(keys);
  const keyValues: Record<string, string> = {};
  keys.forEach((key, i) => {
    const value = values[i];
    if (value !== undefined) keyValues[key.slice(prefix.length)] = canonical(value);
  });
  const documents: Record<string, unknown> = {};
  for (const collection of Object.keys(projection.collections)) {
    let after: string | undefined;
    do {
      const page = await store.documents.search(collection, {
        size: 1000,
        ...(after ? { after } : {}),
      });
      for (const hit of page.hits) documents[`${collection}/${hit.id}`] = sortKeys(hit.document);
      after = page.next;
    } while (after);
  }
  const digest = createHash('sha256')
    .update(JSON.stringify({ keyValues, documents }))
    .digest('hex');
  return { keyValues, documents, digest };
}

/** JSON values re-serialised with sorted keys; other strings as they are. */
function canonical(value: string): string {
  try {
    return JSON.stringify(sortKeys(JSON.parse(value)));
  } catch {
    return value;
  }
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

/** Rebuilds `projection` blue/green from position 0 and waits for the switch. */
export async function rebuild(
  log: ProjectionEventLog,
  store: ReadModelStore,
  projection: Projection,
): Promise<ProjectionHost> {
  const host = new ProjectionHost(
    [projection],
    { log, store, logger: quiet },
    {
      batchSize: 500,
      retry: { handlerAttempts: 2, baseDelayMs: 5, maxDelayMs: 50 },
    },
  );
  await host.start();
  await host.rebuild(projection.name);
  await host.awaitRebuild(projection.name);
  await host.stop();
  return host;
}
