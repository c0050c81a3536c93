import { STREAM_PREFIX } from '@uspa/sdk';
import type { Profile } from './profile.js';

/** The streams holding a profile's interactions: one per userId and per anonymous id (design §4). */
export function interactionStreamsOf(profile: Pick<Profile, 'identifiers'>): string[] {
  return profile.identifiers.flatMap((key) => {
    if (key.startsWith('user_id:')) return [STREAM_PREFIX.user + key.slice('user_id:'.length)];
    if (key.startsWith('anonymous_id:')) {
      return [STREAM_PREFIX.anonymous + key.slice('anonymous_id:'.length)];
    }
    return [];
  });
}
