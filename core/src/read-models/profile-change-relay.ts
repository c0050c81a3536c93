import type { ProfileChange } from '@uspa/projections';
import type { ProfileChangeFeed } from '../segments/profile-change-feed.js';
import type { FromProjectionThread } from './projection-thread.messages.js';

type ChangeMessage = Extract<FromProjectionThread, { kind: 'decided' | 'published' }>;

/**
 * The profile projection's changes as they leave its thread. A live batch's changes are sent
 * when decided and again, as refs, when published after the commit: the serving thread's feed
 * must see the same objects twice to tell its listeners each change once.
 */
export class ProfileChangeSender {
  readonly #refs = new WeakMap<ProfileChange, number>();
  #nextRef = 1;

  constructor(private readonly send: (message: ChangeMessage) => void) {}

  decide(changes: readonly ProfileChange[]): void {
    if (changes.length === 0) return;
    const refs = changes.map((change) => {
      const ref = this.#nextRef++;
      this.#refs.set(change, ref);
      return ref;
    });
    this.send({ kind: 'decided', changes, refs });
  }

  publish(changes: readonly ProfileChange[]): void {
    const sent = changes.map((change) => {
      const ref = this.#refs.get(change);
      if (ref === undefined) return change;
      this.#refs.delete(change);
      return ref;
    });
    this.send({ kind: 'published', changes: sent });
  }
}

/** Decided changes kept for their publication; those of batches whose commit failed never come. */
const MAX_UNPUBLISHED = 10_000;

/** The serving thread's end: hands the changes to its `ProfileChangeFeed` as if decided here. */
export class ProfileChangeReceiver {
  readonly #decided = new Map<number, ProfileChange>();

  constructor(private readonly feed: Pick<ProfileChangeFeed, 'decide' | 'publish'>) {}

  receive(message: ChangeMessage): void {
    if (message.kind === 'decided') {
      message.changes.forEach((change, index) => this.#decided.set(message.refs[index]!, change));
      // The oldest first: a batch retried after a failed commit decides its changes again.
      for (const ref of this.#decided.keys()) {
        if (this.#decided.size <= MAX_UNPUBLISHED) break;
        this.#decided.delete(ref);
      }
      this.feed.decide(message.changes);
      return;
    }
    const changes: ProfileChange[] = [];
    for (const sent of message.changes) {
      if (typeof sent !== 'number') changes.push(sent);
      else {
        const change = this.#decided.get(sent);
        this.#decided.delete(sent);
        if (change) changes.push(change);
      }
    }
    this.feed.publish(changes);
  }
}
