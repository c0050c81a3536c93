import { ApiError } from '../../lib/api.js';
import { messageOf } from '../../lib/errors.js';
import type { Condition } from './condition-types.js';
import { problemMessages } from './problem.js';
import { segmentsApi, type SegmentPreview } from './segments-api.js';

/** How long typing must pause before a preview is asked for. */
export const PREVIEW_DELAY_MS = 400;

/**
 * The live count of a condition being edited. Each edit restarts a short wait, so typing a value
 * asks once; an answer that arrives after a newer question was asked is dropped, so the count
 * always belongs to the condition on screen.
 */
export class SegmentPreviewState {
  result = $state.raw<SegmentPreview>();
  /** The server's validation errors for the condition, paths included (`and[0].value: …`). */
  errors = $state.raw<string[]>([]);
  /** The preview could not be computed (server down, projections disabled). */
  failure = $state<string>();
  pending = $state(false);
  #timer: ReturnType<typeof setTimeout> | undefined;
  #asked = 0;

  constructor(
    private readonly preview: (
      condition: Condition,
    ) => Promise<SegmentPreview> = segmentsApi.preview,
    private readonly delayMs = PREVIEW_DELAY_MS,
  ) {}

  /** Asks for the count of `condition` once edits pause. */
  schedule(condition: Condition): void {
    this.#cancel();
    this.pending = true;
    this.#timer = setTimeout(() => void this.#run(condition), this.delayMs);
  }

  /** The condition is unfinished: no question, and no stale answer shown as current. */
  hold(): void {
    this.#cancel();
    this.#asked++;
    this.pending = false;
    this.result = undefined;
    this.errors = [];
    this.failure = undefined;
  }

  dispose(): void {
    this.#cancel();
  }

  #cancel(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  async #run(condition: Condition): Promise<void> {
    const asked = ++this.#asked;
    try {
      const result = await this.preview(condition);
      if (asked !== this.#asked) return;
      this.result = result;
      this.errors = [];
      this.failure = undefined;
    } catch (error) {
      if (asked !== this.#asked) return;
      this.result = undefined;
      if (error instanceof ApiError && error.status === 400) {
        this.errors = problemMessages(error);
        this.failure = undefined;
      } else {
        this.errors = [];
        this.failure = messageOf(error);
      }
    } finally {
      if (asked === this.#asked) this.pending = false;
    }
  }
}
