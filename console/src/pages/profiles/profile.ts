/**
 * The parts of a profile document (`GET /v1/profiles/:identifier`) the console shows. The full
 * shape is `Profile` in `projections/src/profiles/profile.ts`; the console reads only these.
 */
export interface ProfileDocument {
  id: string;
  /** `type:value` keys: `user_id:42`, `anonymous_id:…`, `email:ada@example.com`. */
  identifiers: string[];
  traits: Record<string, unknown>;
  traitTimestamps?: Record<string, string>;
  computed: Record<string, unknown>;
  segments: string[];
  geo?: Record<string, unknown>;
  device?: Record<string, unknown>;
  counters?: { total: number; byType: Record<string, number>; byEvent: Record<string, number> };
  sessions?: { count: number; lastStartedAt?: string };
  firstSeen?: string;
  lastSeen?: string;
  ecommerce?: { orders: number; revenue: number; averageOrderValue: number };
  /** Profiles merged into this one (they now answer with this profile). */
  mergedFrom: string[];
  /** Profiles an operator split from this one. */
  splitFrom: string[];
}

/** One hit of `GET /v1/profiles`. */
export interface ProfileHit {
  id: string;
  document: Partial<ProfileDocument> & { id?: string };
}

export interface ProfileSearchPage {
  hits: ProfileHit[];
  total: number;
  next?: string;
}

/** An event of a profile's timeline (`GET /v1/profiles/:identifier/events`). */
export interface TimelineEvent {
  id: string;
  type: string;
  streamId: string;
  position: number;
  recordedAt: string;
  data: unknown;
  metadata?: Record<string, unknown>;
}

export interface TimelinePage {
  events: TimelineEvent[];
  /** Pass as `before` for the next, older page; absent on the last one. */
  next?: number;
}

/** `POST /v1/admin/profiles/:id/split`. */
export interface SplitResult {
  profileId: string;
  newProfileId: string;
  position: number;
  /** False when the read model had not caught up yet when the server answered. */
  applied: boolean;
}

/** A readable label for a profile in lists: an email or user id beats the raw profile id. */
export function profileLabel(profile: Partial<ProfileDocument>): string {
  const traits = profile.traits ?? {};
  for (const key of ['name', 'email']) {
    const value = traits[key];
    if (typeof value === 'string' && value) return value;
  }
  const identifiers = profile.identifiers ?? [];
  const preferred =
    identifiers.find((id) => id.startsWith('email:')) ??
    identifiers.find((id) => id.startsWith('user_id:')) ??
    identifiers[0];
  return preferred ?? profile.id ?? 'Unknown profile';
}

/** `email:ada@example.com` → `{ type: 'email', value: 'ada@example.com' }`. */
export function splitIdentifier(identifier: string): { type: string; value: string } {
  const colon = identifier.indexOf(':');
  return colon === -1
    ? { type: '', value: identifier }
    : { type: identifier.slice(0, colon), value: identifier.slice(colon + 1) };
}
