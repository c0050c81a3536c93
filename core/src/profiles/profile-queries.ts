import {
  interactionStreamsOf,
  parseIdentifierKey,
  profileKeys,
  PROFILES_COLLECTION,
  type DocumentFilter,
  type DocumentPage,
  type Profile,
  type ReadModelStore,
  type SortField,
} from '@uspa/projections';
import { streamOf, type RecordedEvent } from '@uspa/sdk';
import { NotFoundError, ValidationError } from '../errors/index.js';
import type { EventStore } from '../ports/event-store.port.js';
import type { ServingGeneration } from './serving-generation.js';

const PROFILE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_MERGE_HOPS = 32;

export interface TimelinePage {
  events: RecordedEvent[];
  /** Pass as `before` to get the next (older) page; absent on the last page. */
  next?: number;
}

export interface ProfileSearch {
  q?: string;
  filter?: DocumentFilter;
  sort?: SortField[];
  size?: number;
  after?: string;
}

/**
 * The profile API's reads: get by any identifier from the key-value store (Redis at scale),
 * search from the document store (OpenSearch at scale), the timeline from the log.
 */
export class ProfileQueries {
  constructor(
    private readonly store: ReadModelStore,
    private readonly log: EventStore,
    private readonly serving: ServingGeneration,
  ) {}

  /**
   * `identifier` is a profile id or `type:value` (`user_id:42`, `email:ada@example.com`). A
   * profile merged into another answers with the survivor.
   */
  async get(identifier: string): Promise<Profile> {
    return JSON.parse(await this.getJson(identifier)) as Profile;
  }

  /**
   * {@link get}, as the JSON text the read model keeps: what an API answer sends unchanged, so a
   * lookup costs no parse and no serialisation of a profile that can be several kilobytes.
   */
  async getJson(identifier: string): Promise<string> {
    const lookup = lookupOf(identifier);
    const cached = await this.serving.keyPrefix();
    let json = cached === undefined ? undefined : await this.#find(lookup, cached);
    if (json === undefined) {
      // The cached generation may be one a rebuild has just replaced and dropped: look again.
      const fresh = await this.serving.keyPrefix({ fresh: true });
      if (fresh !== undefined && fresh !== cached) json = await this.#find(lookup, fresh);
    }
    if (json === undefined) throw notFound(identifier);
    return json;
  }

  async #find(lookup: Lookup, prefix: string): Promise<string | undefined> {
    const { keyValues } = this.store;
    const profiles = prefix + profileKeys.profile('');
    // The owner and its profile in one read (one Redis round trip), and so each merge hop.
    let { reference: id, value: json } =
      'profileId' in lookup
        ? { reference: lookup.profileId, value: await keyValues.get(profiles + lookup.profileId) }
        : await keyValues.getThrough(prefix + profileKeys.owner(lookup.key), profiles);
    for (let hop = 0; json === undefined && id !== undefined && hop < MAX_MERGE_HOPS; hop++) {
      ({ reference: id, value: json } = await keyValues.getThrough(
        prefix + profileKeys.mergedInto(id),
        profiles,
      ));
    }
    return json;
  }

  /**
   * The profile's events, newest first, across every stream merged into it: its userIds' and
   * anonymous ids' interactions and its own decisions (merges, splits).
   */
  async timeline(
    identifier: string,
    options: { before?: number; limit: number },
  ): Promise<TimelinePage> {
    const profile = await this.get(identifier);
    const before = options.before ?? Number.MAX_SAFE_INTEGER;
    const streams = [streamOf.profile(profile.id), ...interactionStreamsOf(profile)];
    const perStream = await Promise.all(
      streams.map((stream) => this.#newestBefore(stream, before, options.limit + 1)),
    );
    const events = perStream
      .flat()
      .sort((a, b) => b.position - a.position)
      .slice(0, options.limit + 1);
    const page = events.slice(0, options.limit);
    const last = page[page.length - 1];
    return events.length > options.limit && last
      ? { events: page, next: last.position }
      : { events: page };
  }

  async #newestBefore(stream: string, before: number, limit: number): Promise<RecordedEvent[]> {
    const found: RecordedEvent[] = [];
    let fromRevision: number | undefined;
    for (;;) {
      const { events } = await this.log.readStream(stream, {
        direction: 'backwards',
        maxCount: Math.max(limit, 100),
        ...(fromRevision === undefined ? {} : { fromRevision }),
      });
      for (const event of events) {
        if (event.position < before) found.push(event);
        if (found.length >= limit) return found;
      }
      const oldest = events[events.length - 1];
      if (!oldest || oldest.revision === 0) return found;
      fromRevision = oldest.revision - 1;
    }
  }

  async search(query: ProfileSearch): Promise<DocumentPage> {
    return this.store.documents.search(PROFILES_COLLECTION, {
      ...(query.q ? { text: query.q } : {}),
      ...(query.filter ? { filter: query.filter } : {}),
      ...(query.sort ? { sort: query.sort } : {}),
      ...(query.size ? { size: query.size } : {}),
      ...(query.after ? { after: query.after } : {}),
    });
  }
}

type Lookup = { profileId: string } | { key: string };

/** A profile id, or an identifier key (`type:value`, normalised). */
function lookupOf(identifier: string): Lookup {
  if (PROFILE_ID.test(identifier)) return { profileId: identifier.toLowerCase() };
  const parsed = parseIdentifierKey(identifier);
  if (!parsed) {
    throw new ValidationError(
      'identifier must be a profile id or type:value with type anonymous_id, user_id, email, phone or external',
    );
  }
  return { key: parsed.key };
}

function notFound(identifier: string): NotFoundError {
  return new NotFoundError(`No profile for ${identifier}`);
}
