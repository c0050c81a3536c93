import type { EventFilter } from '../../ports/event-store.port.js';
import type { CommitPositions } from './sqlite-event-log.js';

/** What a commit of this process wrote: enough to tell which subscriptions it concerns. */
export interface CommitSummary {
  streamIds: readonly string[];
  types: readonly string[];
  /** The positions it took, when it committed. */
  positions?: CommitPositions | undefined;
}

interface Waiter {
  filter: EventFilter | undefined;
  /** This process's commits, in order, that did not concern the waiter while it waited. */
  quiet: CommitPositions[];
  wake: () => void;
}

/**
 * Wakes waiting subscriptions when this process commits appends that can concern them (a
 * filtered subscription sleeps through commits of other streams or types). Other processes
 * writing the same file are noticed by polling, so every wait also ends after `timeoutMs`.
 *
 * A wait answers with the positions of this process's commits that it slept through: they hold
 * nothing for the waiter, so it steps over them instead of reading them at its next poll. Only
 * positions it cannot account for (another process's commits) are read.
 */
export class AppendSignal {
  #waiters = new Set<Waiter>();

  notify(commit?: CommitSummary): void {
    if (this.#waiters.size === 0) return;
    for (const waiter of [...this.#waiters]) {
      if (!commit || concerns(waiter.filter, commit)) waiter.wake();
      else if (commit.positions) waiter.quiet.push(commit.positions);
    }
  }

  wait(
    timeoutMs: number,
    signal?: AbortSignal,
    filter?: EventFilter,
  ): Promise<readonly CommitPositions[]> {
    return new Promise((resolve) => {
      const waiter: Waiter = {
        filter,
        quiet: [],
        wake: () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', waiter.wake);
          this.#waiters.delete(waiter);
          resolve(waiter.quiet);
        },
      };
      const timer = setTimeout(waiter.wake, timeoutMs);
      signal?.addEventListener('abort', waiter.wake, { once: true });
      this.#waiters.add(waiter);
    });
  }
}

/**
 * How far a reader that has seen everything up to `position` may step without reading: over the
 * commits in `quiet` (in commit order) that follow on from it without a gap. A gap is a commit
 * the reader must read: another process's, or one that concerned it.
 *
 * @example
 * skipQuiet(100, [{ after: 100, through: 140 }, { after: 140, through: 150 }]); // 150
 * skipQuiet(100, [{ after: 120, through: 140 }]); // 100: positions 101–120 are unaccounted for
 */
export function skipQuiet(position: number, quiet: readonly CommitPositions[]): number {
  let at = position;
  for (const span of quiet) {
    if (span.after > at) break;
    if (span.through > at) at = span.through;
  }
  return at;
}

function concerns(filter: EventFilter | undefined, commit: CommitSummary): boolean {
  if (filter?.eventTypes) return commit.types.some((type) => filter.eventTypes.includes(type));
  if (filter?.streamPrefixes) {
    return commit.streamIds.some((id) =>
      filter.streamPrefixes.some((prefix) => id.startsWith(prefix)),
    );
  }
  return true;
}
