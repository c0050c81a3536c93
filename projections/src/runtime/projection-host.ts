import type { ProjectionEventLog } from '../ports/projection-event-log.port.js';
import type { ReadModelStore } from '../ports/read-model-store.port.js';
import { DeadLetterReplayer } from './dead-letter-replayer.js';
import type { ProjectionControl } from './projection-control.js';
import type { Projection } from './projection.js';
import { ProjectionGenerations, type ProjectionMeta } from './projection-generations.js';
import {
  DEFAULT_RUNNER_SETTINGS,
  ProjectionRunner,
  type RunnerLog,
  type RunnerProgress,
  type RunnerSettings,
} from './projection-runner.js';
import { sleep } from './retry-policy.js';

export interface GenerationStatus extends RunnerProgress {
  generation: number;
  version: number;
  /** Events between the checkpoint and the last matching event of the log (log positions). */
  lagEvents: number;
  /** Age of the last processed event while behind; 0 once caught up. */
  lagSeconds: number;
}

export interface ProjectionStatus {
  name: string;
  version: number;
  serving?: GenerationStatus;
  /** A rebuild in progress: it takes over once it has caught up. */
  building?: GenerationStatus;
}

export interface ProjectionHostDeps {
  log: ProjectionEventLog;
  store: ReadModelStore;
  logger: RunnerLog & { info(details: Record<string, unknown>, message: string): void };
}

interface Slot {
  projection: Projection;
  serving?: ProjectionRunner;
  building?: ProjectionRunner;
  switching?: Promise<void>;
}

/**
 * Runs the projections of this process and rebuilds them blue/green: a rebuild (asked for, or
 * because a projection's `version` changed) fills a new generation from position 0 while the
 * current one keeps serving; once the new one has caught up, readers are switched atomically
 * (aliases and the serving pointer) and the old storage is dropped.
 */
export class ProjectionHost implements ProjectionControl {
  readonly #slots = new Map<string, Slot>();
  readonly #generations: ProjectionGenerations;
  readonly #controller = new AbortController();
  readonly deadLetters: DeadLetterReplayer;

  constructor(
    projections: readonly Projection[],
    private readonly deps: ProjectionHostDeps,
    private readonly settings: RunnerSettings = DEFAULT_RUNNER_SETTINGS,
  ) {
    for (const projection of projections) this.#slots.set(projection.name, { projection });
    this.#generations = new ProjectionGenerations(deps.store);
    this.deadLetters = new DeadLetterReplayer(deps.log, (name) => this.#slots.get(name)?.serving);
  }

  get projections(): Projection[] {
    return [...this.#slots.values()].map((slot) => slot.projection);
  }

  /**
   * Starts every projection; one whose version changed starts rebuilding. With
   * `serving: false` the serving generations are not kept up to date (a command-line rebuild,
   * with the server stopped, needs only the new generation).
   */
  async start(options: { serving?: boolean } = {}): Promise<void> {
    for (const slot of this.#slots.values()) {
      const { projection } = slot;
      let meta = await this.#generations.read(projection.name);
      if (!meta.serving) meta = await this.#generations.create(projection, 'serving');
      // `serving: false` (a rebuild from the command line, nobody reading): only rebuilds run.
      if (meta.serving?.version === projection.version && options.serving !== false) {
        slot.serving = this.#runner(projection, meta.serving.generation);
      }
      if (meta.building?.version === projection.version) {
        slot.building = this.#runner(projection, meta.building.generation);
        this.#watchBuild(slot);
      } else if (meta.serving?.version !== projection.version) {
        await this.rebuild(projection.name);
      }
    }
  }

  /** Starts a rebuild of `name` unless one runs already; returns the status right after. */
  async rebuild(name: string): Promise<ProjectionStatus> {
    const slot = this.#slot(name);
    if (!slot.building) {
      const meta = await this.#generations.create(slot.projection, 'building');
      slot.building = this.#runner(slot.projection, meta.building!.generation);
      this.deps.logger.info(
        { projection: name, generation: meta.building!.generation },
        'projection rebuild started',
      );
      this.#watchBuild(slot);
    }
    return this.status(name);
  }

  /**
   * Resolves once the rebuild of `name` (if any) has switched over and the old generation is
   * dropped; rejects when the switch failed.
   */
  async awaitRebuild(name: string): Promise<void> {
    await this.#slot(name).switching;
  }

  /** The runner serving `name`'s reads, for callers that must wait for a position. */
  serving(name: string): ProjectionRunner | undefined {
    return this.#slots.get(name)?.serving;
  }

  async waitFor(
    name: string,
    position: number,
    timeoutMs?: number,
    options?: { settled?: boolean },
  ): Promise<boolean> {
    return (await this.serving(name)?.waitFor(position, timeoutMs, options)) ?? false;
  }

  async status(name: string): Promise<ProjectionStatus> {
    const slot = this.#slot(name);
    const head = await this.#head(slot.projection);
    const result: ProjectionStatus = { name, version: slot.projection.version };
    if (slot.serving) result.serving = statusOf(slot.serving, head);
    if (slot.building) result.building = statusOf(slot.building, head);
    return result;
  }

  async statuses(): Promise<ProjectionStatus[]> {
    return Promise.all([...this.#slots.keys()].map((name) => this.status(name)));
  }

  /**
   * Stops every runner. A switch already under way finishes first (stopping the generation it
   * replaced and dropping its storage): left running, its drop would meet a closed store, or a
   * cleanup of the same storage, and an old generation could stay behind for ever.
   */
  async stop(): Promise<void> {
    this.#controller.abort();
    const slots = [...this.#slots.values()];
    const runners = slots
      .flatMap((slot) => [slot.serving, slot.building])
      .filter((runner): runner is ProjectionRunner => runner !== undefined);
    await Promise.all([
      ...runners.map((runner) => runner.stop()),
      // A failed switch is logged where it is watched (#watchBuild).
      ...slots.map((slot) => slot.switching?.catch(() => undefined)),
    ]);
  }

  meta(name: string): Promise<ProjectionMeta> {
    return this.#generations.read(name);
  }

  #slot(name: string): Slot {
    const slot = this.#slots.get(name);
    if (!slot) throw new UnknownProjectionError(name);
    return slot;
  }

  #runner(projection: Projection, generation: number): ProjectionRunner {
    const runner = new ProjectionRunner(
      projection,
      { projection: projection.name, generation },
      this.deps,
      this.settings,
    );
    runner.start();
    return runner;
  }

  #watchBuild(slot: Slot): void {
    const building = slot.building!;
    const signal = this.#controller.signal;
    slot.switching = (async () => {
      while (!signal.aborted) {
        const head = await this.#head(slot.projection).catch(() => Number.POSITIVE_INFINITY);
        if (building.progress.checkpoint >= head && building.settled) break;
        await sleep(100, signal);
      }
      if (signal.aborted) return;
      const previous = slot.serving;
      const replaced = await this.#generations.switchTo(
        slot.projection,
        building.generation.generation,
      );
      slot.serving = building;
      slot.building = undefined;
      await previous?.stop();
      if (replaced !== undefined) await this.#generations.drop(slot.projection, replaced);
      this.deps.logger.info(
        { projection: slot.projection.name, generation: building.generation.generation },
        'projection rebuild switched over',
      );
    })();
    slot.switching.catch((error: unknown) => {
      this.deps.logger.error({ projection: slot.projection.name, err: error }, 'rebuild failed');
    });
  }

  /** Position of the last event the projection handles (0 on an empty log). */
  async #head(projection: Projection): Promise<number> {
    const [last] = await this.deps.log.readAll({
      direction: 'backwards',
      maxCount: 1,
      filter: { eventTypes: projection.handles },
    });
    return last?.position ?? 0;
  }
}

function statusOf(runner: ProjectionRunner, head: number): GenerationStatus {
  const progress = runner.progress;
  const lagEvents = Math.max(0, head - progress.checkpoint);
  const recordedAt = progress.lastEventRecordedAt?.getTime();
  return {
    ...progress,
    generation: runner.generation.generation,
    version: runner.projection.version,
    lagEvents,
    lagSeconds:
      lagEvents === 0 || recordedAt === undefined
        ? 0
        : Math.max(0, (Date.now() - recordedAt) / 1000),
  };
}

export class UnknownProjectionError extends Error {
  override readonly name = 'UnknownProjectionError';
  constructor(readonly projection: string) {
    super(`No projection named "${projection}"`);
  }
}
