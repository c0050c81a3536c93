import { api, ApiError, segment } from '../../lib/api.js';
import { messageOf } from '../../lib/errors.js';
import type { ProjectionStatus } from './projection-status.js';

/** While a rebuild runs its progress is polled this often, until the new generation serves. */
const REBUILD_POLL_MS = 1_000;
const IDLE_POLL_MS = 10_000;

/** The projections page's state: statuses, rebuilds asked for here, and their outcome. */
export class ProjectionsBoard {
  projections = $state.raw<ProjectionStatus[]>([]);
  loaded = $state(false);
  error = $state<string>();
  /** Set when this server runs no projections (`projections.enabled` is false). */
  disabled = $state<string>();
  /** Per projection, the generation a rebuild started here is building. */
  rebuilding = $state.raw<Record<string, number>>({});
  /** Per projection, the outcome of the last rebuild or its failure to start. */
  notices = $state.raw<Record<string, { text: string; failed: boolean }>>({});
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;

  start(): () => void {
    this.#stopped = false;
    void this.#poll();
    return () => {
      this.#stopped = true;
      clearTimeout(this.#timer);
    };
  }

  async refresh(): Promise<void> {
    try {
      const { projections } = await api.get<{ projections: ProjectionStatus[] }>(
        '/v1/admin/projections',
      );
      this.projections = projections;
      this.error = undefined;
      this.disabled = undefined;
      this.#noticeSwitches();
    } catch (error) {
      if (error instanceof ApiError && error.code === 'projections_disabled') {
        this.disabled = error.message;
      } else {
        this.error = messageOf(error);
      }
    } finally {
      this.loaded = true;
    }
  }

  async rebuild(name: string): Promise<void> {
    try {
      const status = await api.post<ProjectionStatus>(
        `/v1/admin/projections/${segment(name)}/rebuild`,
      );
      if (status.building) {
        this.rebuilding = { ...this.rebuilding, [name]: status.building.generation };
      }
      this.#notice(name, undefined);
      this.projections = this.projections.map((entry) => (entry.name === name ? status : entry));
      // Poll at the rebuild's pace right away rather than after the idle interval.
      clearTimeout(this.#timer);
      this.#timer = setTimeout(() => void this.#poll(), REBUILD_POLL_MS);
    } catch (error) {
      this.#notice(name, { text: messageOf(error), failed: true });
    }
  }

  async #poll(): Promise<void> {
    await this.refresh();
    if (this.#stopped) return;
    const busy = this.projections.some((entry) => entry.building);
    this.#timer = setTimeout(() => void this.#poll(), busy ? REBUILD_POLL_MS : IDLE_POLL_MS);
  }

  /** A rebuild is over when nothing is building any more and the new generation serves. */
  #noticeSwitches(): void {
    for (const [name, generation] of Object.entries(this.rebuilding)) {
      const status = this.projections.find((entry) => entry.name === name);
      if (!status || status.building) continue;
      const { [name]: _done, ...others } = this.rebuilding;
      this.rebuilding = others;
      const serving = status.serving?.generation;
      this.#notice(
        name,
        serving !== undefined && serving >= generation
          ? { text: `Rebuilt: generation ${serving} now serves reads.`, failed: false }
          : { text: 'The rebuild stopped before it took over.', failed: true },
      );
    }
  }

  #notice(name: string, notice: { text: string; failed: boolean } | undefined): void {
    const { [name]: _previous, ...others } = this.notices;
    this.notices = notice ? { ...others, [name]: notice } : others;
  }
}
