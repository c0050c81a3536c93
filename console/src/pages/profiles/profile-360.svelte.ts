import { api, ApiError, segment } from '../../lib/api.js';
import { messageOf } from '../../lib/errors.js';
import type { ProfileDocument, SplitResult } from './profile.js';

/** One profile as the 360 page shows it, and the operator's split action on it. */
export class ProfileView {
  profile = $state.raw<ProfileDocument>();
  loading = $state(true);
  error = $state<string>();
  notFound = $state(false);
  splitError = $state<string>();
  lastSplit = $state.raw<SplitResult & { identifier: string }>();
  /** Bumped after a split, so the timeline reloads with the events that stayed. */
  revision = $state(0);

  constructor(readonly identifier: string) {}

  /** `by` defaults to the identifier of the route; after a split it is the profile's own id. */
  async load(by = this.identifier): Promise<void> {
    this.loading = true;
    try {
      this.profile = await api.get<ProfileDocument>(`/v1/profiles/${segment(by)}`);
      this.error = undefined;
      this.notFound = false;
    } catch (error) {
      this.notFound = error instanceof ApiError && error.status === 404;
      this.error = messageOf(error);
    } finally {
      this.loading = false;
    }
  }

  /** Moves `identifier` (and its events) to a new profile that is never merged back by itself. */
  async split(identifier: string): Promise<void> {
    const profile = this.profile;
    if (!profile) return;
    this.splitError = undefined;
    try {
      const result = await api.post<SplitResult>(
        `/v1/admin/profiles/${segment(profile.id)}/split`,
        { identifier },
      );
      this.lastSplit = { ...result, identifier };
      this.revision += 1;
      // The route's identifier may be the one that moved: stay on the profile it was split from.
      await this.load(profile.id);
    } catch (error) {
      this.splitError = messageOf(error);
    }
  }
}
