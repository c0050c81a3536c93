import type { EventFilter } from '../../ports/event-store.port.js';

/** What a commit of this process wrote: enough to tell which subscriptions it concerns. */
export interface CommitSummary {
  streamIds: readonly string[];
  types: readonly string[];
}

interface Waiter {
  filter: EventFilter | undefined;
  wake: () => void;
}

/**
 * Wakes waiting subscriptions when this process commits appends that can concern them (a
 * filtered subscription sleeps through commits of other streams or types). Other processes
 * writing the same file are noticed by polling, so every wait also ends after `timeoutMs`.
 */
export class AppendSignal {
  #waiters = new Set<Waiter>();

  notify(commit?: CommitSummary): void {
    if (this.#waiters.size === 0) return;
    for (const waiter of [...this.#waiters]) {
      if (!commit || concerns(waiter.filter, commit)) waiter.wake();
    }
  }

  wait(timeoutMs: number, signal?: AbortSignal, filter?: EventFilter): Promise<void> {
    return new Promise((resolve) => {
      const waiter: Waiter = {
        filter,
        wake: () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', waiter.wake);
          this.#waiters.delete(waiter);
          resolve();
        },
      };
      const timer = setTimeout(waiter.wake, timeoutMs);
      signal?.addEventListener('abort', waiter.wake, { once: true });
      this.#waiters.add(waiter);
    });
  }
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
