import { streamOf, type EventToAppend, type RecordedEvent } from '@uspa/sdk';
import type { Identifier } from '../identity/identifiers.js';
import type { IdentityGraph } from '../identity/identity-resolver.js';
import { PROFILES_MERGED, type ProfilesMergedData } from '../identity/identity-events.js';
import { derivedId } from '../runtime/derived-id.js';
import type { ProjectionContext } from '../runtime/projection.js';
import { mergeProfiles } from './profile-merge.js';
import { profileKeys, PROFILES_COLLECTION } from './profile-keys.js';
import { searchDocument } from './profile-search-document.js';
import { emptyProfile, type Profile } from './profile.js';

/**
 * The identity graph and the profiles a batch touches, loaded once up front and written once at
 * the end: a batch of thousands of events costs a few round trips, not thousands.
 */
export class ProfileBatch implements IdentityGraph<Profile> {
  readonly #owners = new Map<string, string | undefined>();
  readonly #profiles = new Map<string, Profile | undefined>();
  readonly #dirtyProfiles = new Set<string>();
  readonly #dirtyOwners = new Set<string>();
  readonly #mergedInto = new Map<string, string>();
  readonly #decisions = new Map<string, EventToAppend[]>();
  #event: RecordedEvent | undefined;
  #created = 0;

  constructor(private readonly context: ProjectionContext) {}

  /** Loads the owners of `identifiers` and their profiles that are not loaded yet. */
  async load(identifiers: Iterable<string>): Promise<void> {
    const keys = [...new Set(identifiers)].filter((key) => !this.#owners.has(key));
    if (keys.length > 0) {
      const owners = await this.context.keyValues.getMany(keys.map(profileKeys.owner));
      keys.forEach((key, i) => this.#owners.set(key, owners[i]));
    }
    await this.loadProfiles(keys.map((key) => this.#owners.get(key)));
  }

  async loadProfiles(ids: Iterable<string | undefined>): Promise<void> {
    const missing = [...new Set(ids)].filter(
      (id): id is string => id !== undefined && !this.#profiles.has(id),
    );
    if (missing.length === 0) return;
    const documents = await this.context.keyValues.getMany(missing.map(profileKeys.profile));
    missing.forEach((id, i) => {
      const json = documents[i];
      this.#profiles.set(id, json === undefined ? undefined : (JSON.parse(json) as Profile));
    });
  }

  /** The event being handled: new profiles and merge decisions derive their ids from it. */
  handling(event: RecordedEvent): void {
    this.#event = event;
    this.#created = 0;
  }

  profile(id: string): Profile | undefined {
    return this.#profiles.get(id);
  }

  owner(key: string): Profile | undefined {
    const id = this.#owners.get(key);
    return id === undefined ? undefined : this.#profiles.get(id);
  }

  create(createdAt: number): Profile {
    const event = this.#current();
    const id = derivedId('Profile', event.id, String(this.#created++));
    return this.add(emptyProfile(id, createdAt));
  }

  add(profile: Profile): Profile {
    this.#profiles.set(profile.id, profile);
    this.touch(profile);
    return profile;
  }

  attach(profile: Profile, identifier: Identifier): void {
    profile.identifiers.push(identifier.key);
    this.setOwner(identifier.key, profile.id);
    this.touch(profile);
  }

  setOwner(key: string, profileId: string): void {
    this.#owners.set(key, profileId);
    this.#dirtyOwners.add(key);
  }

  detach(profile: Profile, key: string): void {
    profile.identifiers = profile.identifiers.filter((identifier) => identifier !== key);
    this.touch(profile);
  }

  merge(survivor: Profile, merged: Profile, via: string[]): void {
    const event = this.#current();
    mergeProfiles(survivor, merged);
    for (const key of merged.identifiers) this.setOwner(key, survivor.id);
    this.#profiles.set(merged.id, undefined);
    this.#mergedInto.set(merged.id, survivor.id);
    for (const [from, to] of this.#mergedInto) {
      if (to === merged.id) this.#mergedInto.set(from, survivor.id);
    }
    this.touch(survivor);
    const data: ProfilesMergedData = {
      survivorId: survivor.id,
      mergedId: merged.id,
      identifiers: merged.identifiers,
      reason: { kind: 'linked_identifiers', via },
      sourceEventId: event.id,
      sourcePosition: event.position,
    };
    const stream = streamOf.profile(survivor.id);
    const decisions = this.#decisions.get(stream) ?? [];
    decisions.push({
      id: derivedId(PROFILES_MERGED, event.id, merged.id),
      type: PROFILES_MERGED,
      data,
    });
    this.#decisions.set(stream, decisions);
  }

  touch(profile: Profile): void {
    this.#dirtyProfiles.add(profile.id);
  }

  /** Appends the merge decisions, then buffers every changed document and identifier. */
  async flush(): Promise<void> {
    for (const [stream, events] of this.#decisions) await this.context.append(stream, events);
    const { keyValues, documents } = this.context;
    for (const key of this.#dirtyOwners) {
      const owner = this.#owners.get(key);
      if (owner !== undefined)
        keyValues.write({ op: 'set', key: profileKeys.owner(key), value: owner });
    }
    for (const [merged, survivor] of this.#mergedInto) {
      keyValues.write(
        { op: 'delete', key: profileKeys.profile(merged) },
        { op: 'set', key: profileKeys.mergedInto(merged), value: survivor },
      );
      documents.remove(PROFILES_COLLECTION, merged);
    }
    for (const id of this.#dirtyProfiles) {
      const profile = this.#profiles.get(id);
      if (!profile) continue;
      keyValues.write({ op: 'set', key: profileKeys.profile(id), value: JSON.stringify(profile) });
      documents.put(PROFILES_COLLECTION, id, searchDocument(profile));
    }
  }

  #current(): RecordedEvent {
    if (!this.#event) throw new Error('no event being handled');
    return this.#event;
  }
}
