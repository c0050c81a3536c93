import type { ProjectionControl } from '@uspa/projections';
import type { LogTally, TallySnapshot } from './log-tally.js';

const MINUTE = 60_000;
const HOUR_OF_MINUTES = 60;
const TOP_NAMES = 10;

/** The answer of `GET /v1/admin/stats`: what the console's overview page shows. */
export interface Overview {
  events: { total: number; byType: Record<string, number> };
  /** The most frequent names among the latest 10,000 interaction events, most frequent first. */
  topEventNames: { name: string; count: number }[];
  /** Interaction events per minute over the last hour, oldest first, the current minute last. */
  perMinute: { minute: string; count: number }[];
  rejections: { total: number };
  deadLetters: { projections: number; plugins: number };
  /** The projections this process runs; empty when it leaves them to others. */
  projections: { name: string; lagEvents: number; lagSeconds: number; state: string }[];
}

export interface ConsoleOverviewOptions {
  /** How long one answer is reused: consoles poll, and several may be open. */
  cacheMs?: number;
  now?: () => number;
}

/**
 * Builds the overview from the {@link LogTally} and the projection host of this process, at most
 * once every `cacheMs` however many consoles ask.
 *
 * @example
 * const overview = new ConsoleOverview(new LogTally(store), host);
 * (await overview.current()).events.total; // 48210
 */
export class ConsoleOverview {
  #cached: { at: number; answer: Promise<Overview> } | undefined;

  constructor(
    private readonly tally: LogTally,
    private readonly projections: Pick<ProjectionControl, 'statuses'> | undefined,
    private readonly options: ConsoleOverviewOptions = {},
  ) {}

  current(): Promise<Overview> {
    const now = this.#now();
    if (this.#cached && now - this.#cached.at < (this.options.cacheMs ?? 2000)) {
      return this.#cached.answer;
    }
    const answer = this.#build(now);
    this.#cached = { at: now, answer };
    // A failed answer is not reused: the next request tries again.
    answer.catch(() => {
      if (this.#cached?.answer === answer) this.#cached = undefined;
    });
    return answer;
  }

  async #build(now: number): Promise<Overview> {
    const [, statuses] = await Promise.all([
      this.tally.refresh(),
      // Projections that are not running (their thread starting again) show no lag.
      this.projections?.statuses().catch(() => []) ?? Promise.resolve([]),
    ]);
    const tally = this.tally.snapshot();
    return {
      events: { total: tally.total, byType: tally.byType },
      topEventNames: topNames(tally.recentNames(), TOP_NAMES),
      perMinute: lastHour(tally, now),
      rejections: { total: tally.rejections },
      deadLetters: tally.deadLetters,
      projections: statuses.map(({ name, serving, building }) => {
        const runner = serving ?? building;
        return {
          name,
          lagEvents: runner?.lagEvents ?? 0,
          lagSeconds: runner?.lagSeconds ?? 0,
          state: runner?.state ?? 'stopped',
        };
      }),
    };
  }

  #now(): number {
    return (this.options.now ?? Date.now)();
  }
}

function lastHour(tally: TallySnapshot, now: number): Overview['perMinute'] {
  const current = now - (now % MINUTE);
  return Array.from({ length: HOUR_OF_MINUTES }, (_, index) => {
    const minute = current - (HOUR_OF_MINUTES - 1 - index) * MINUTE;
    return { minute: new Date(minute).toISOString(), count: tally.perMinute(minute) };
  });
}

function topNames(names: readonly string[], limit: number): Overview['topEventNames'] {
  const counts = new Map<string, number>();
  for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, limit)
    .map(([name, count]) => ({ name, count }));
}
