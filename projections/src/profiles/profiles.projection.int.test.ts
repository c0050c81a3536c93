/**
 * Given/when/then specs of identity resolution and the profile projection against real storage:
 * the embedded SQLite read side always, OpenSearch + Redis when they answer (required on CI).
 * Every spec then replays its input twice — over the existing state, and as a fresh rebuild —
 * and expects the same read model.
 */
import { describe, expect, it } from 'vitest';
import type { EventStore } from '@uspa/core';
import { streamOf } from '@uspa/sdk';
import {
  derivedId,
  profileKeys,
  projectionStorage,
  PROFILES_MERGED,
  PROFILE_SPLIT,
  type Profile,
  type ProfilesMergedData,
  type ReadModelStore,
} from '../index.js';
import {
  anInteraction,
  given,
  project,
  rebuild,
  snapshot,
  type GivenInteraction,
} from '../testing/index.js';
import { profilesProjection } from './profiles.projection.js';
import { readSideFixtures } from './read-side-fixtures.fixture.js';

const projection = profilesProjection();
/** Scenario → read-model digest, per read side: both read sides must build the same profiles. */
const digests = new Map<string, Map<string, string>>();

for (const fixture of await readSideFixtures()) {
  describe.skipIf(!fixture.available)(`profile projection (${fixture.name})`, () => {
    const built = new Map<string, string>();
    digests.set(fixture.name, built);

    async function scenario(
      input: GivenInteraction[],
      then: (view: ReadSide) => Promise<void>,
      more?: (view: ReadSide) => Promise<void>,
    ): Promise<string> {
      // Fixed event ids: profile ids derive from them, so both read sides can be compared.
      const name = expect.getState().currentTestName ?? '';
      const interactions = input.map(({ streamId, event }, i) => ({
        streamId,
        event: { ...event, id: derivedId('spec', name.slice(name.indexOf('>') + 1), String(i)) },
      }));
      const readSide = await fixture.open();
      const { log, store } = readSide;
      try {
        await given(log, interactions);
        await project(log, store, [projection]);
        const view = new ReadSide(log, store);
        await more?.(view);
        await then(view);
        const first = await snapshot(store, projection);
        // Replay over the existing state (a crash before the checkpoint moved)…
        const meta = await (await project(log, store, [projection])).meta(projection.name);
        await store.deleteCheckpoint(
          projectionStorage.checkpoint({
            projection: projection.name,
            generation: meta.serving!.generation,
          }),
        );
        await project(log, store, [projection]);
        expect((await snapshot(store, projection)).digest).toBe(first.digest);
        // …and a blue/green rebuild from position 0.
        const host = await rebuild(log, store, projection);
        const rebuilt = await snapshot(store, projection);
        expect((await host.meta(projection.name)).serving!.generation).toBeGreaterThan(
          meta.serving!.generation,
        );
        expect(rebuilt.digest).toBe(first.digest);
        await then(view);
        built.set(name.slice(name.indexOf('>') + 1), first.digest);
        return first.digest;
      } finally {
        await readSide.cleanup();
      }
    }

    it('links an anonymous visitor to the user who identifies', async () => {
      await scenario(
        [
          anInteraction('page').anonymous('a-1').at('2026-11-01T10:00:00Z').build(),
          anInteraction('page').anonymous('a-1').at('2026-11-01T10:05:00Z').build(),
          anInteraction('identify')
            .anonymous('a-1')
            .user('42')
            .traits({ email: ' Ada@Example.com ', name: 'Ada' })
            .at('2026-11-01T10:06:00Z')
            .build(),
        ],
        async (view) => {
          const profile = await view.profile('user_id:42');
          expect(profile.identifiers.sort()).toEqual([
            'anonymous_id:a-1',
            'email:ada@example.com',
            'user_id:42',
          ]);
          expect(await view.profileId('anonymous_id:a-1')).toBe(profile.id);
          expect(await view.profileId('email:ada@example.com')).toBe(profile.id);
          expect(profile.counters.total).toBe(3);
          expect(profile.counters.byType).toEqual({ PageViewed: 2, Identified: 1 });
          expect(profile.traits).toMatchObject({ name: 'Ada' });
          expect(profile.sessions.count).toBe(1);
          expect(profile.firstSeen).toBe('2026-11-01T10:00:00.000Z');
          expect(profile.lastSeen).toBe('2026-11-01T10:06:00.000Z');
          expect(await view.decisions(profile.id)).toEqual([]);
        },
      );
    });

    it('keeps the trait of the latest event when an older one arrives late', async () => {
      await scenario(
        [
          anInteraction('identify')
            .user('7')
            .traits({ plan: 'pro', city: 'Leeds' })
            .at('2026-11-02T09:00:00Z')
            .build(),
          anInteraction('identify')
            .user('7')
            .traits({ plan: 'free', age: 41 })
            .at('2026-10-01T09:00:00Z')
            .build(),
        ],
        async (view) => {
          const profile = await view.profile('user_id:7');
          expect(profile.traits).toEqual({ plan: 'pro', city: 'Leeds', age: 41 });
          expect(profile.firstSeen).toBe('2026-10-01T09:00:00.000Z');
          expect(profile.lastSeen).toBe('2026-11-02T09:00:00.000Z');
        },
      );
    });

    it('merges a chain A↔B then B↔C into the oldest profile, recording each merge', async () => {
      await scenario(
        [
          anInteraction('page').anonymous('a-1').at('2026-11-01T10:00:00Z').build(),
          anInteraction('page').anonymous('a-2').at('2026-11-01T11:00:00Z').build(),
          anInteraction('page').anonymous('a-3').at('2026-11-01T12:00:00Z').build(),
          anInteraction('identify').anonymous('a-1').user('u-1').at('2026-11-01T12:10:00Z').build(),
          // A↔B: the user signs in on a second browser.
          anInteraction('track')
            .anonymous('a-2')
            .user('u-1')
            .named('Signed In')
            .at('2026-11-01T12:20:00Z')
            .build(),
          // B↔C: the second browser's visitor is linked to a third one by e-mail.
          anInteraction('identify')
            .anonymous('a-3')
            .traits({ email: 'c@example.com' })
            .at('2026-11-01T12:30:00Z')
            .build(),
          anInteraction('identify')
            .user('u-1')
            .traits({ email: 'c@example.com' })
            .at('2026-11-01T12:40:00Z')
            .build(),
        ],
        async (view) => {
          const survivor = await view.profile('anonymous_id:a-1');
          expect(survivor.identifiers.sort()).toEqual([
            'anonymous_id:a-1',
            'anonymous_id:a-2',
            'anonymous_id:a-3',
            'email:c@example.com',
            'user_id:u-1',
          ]);
          for (const key of ['anonymous_id:a-2', 'anonymous_id:a-3', 'email:c@example.com']) {
            expect(await view.profileId(key)).toBe(survivor.id);
          }
          expect(survivor.counters.total).toBe(7);
          expect(survivor.mergedFrom).toHaveLength(2);
          const decisions = await view.decisions(survivor.id);
          expect(decisions.map((d) => d.mergedId).sort()).toEqual([...survivor.mergedFrom].sort());
          expect(decisions[0]!.reason.via).toContain('user_id:u-1');
          for (const merged of survivor.mergedFrom) {
            expect(await view.rawProfile(merged)).toBeUndefined();
            expect(await view.mergedInto(merged)).toBe(survivor.id);
          }
        },
      );
    });

    it('counts each event once when a newer profile is merged into an older one', async () => {
      await scenario(
        [
          anInteraction('page').anonymous('a-1').at('2026-11-01T10:00:00Z').build(),
          anInteraction('track')
            .user('u-1')
            .named('Order Completed')
            .properties({ revenue: 10 })
            .at('2026-11-01T10:05:00Z')
            .build(),
          anInteraction('identify').anonymous('a-1').user('u-1').at('2026-11-01T10:10:00Z').build(),
        ],
        async (view) => {
          const profile = await view.profile('user_id:u-1');
          expect(await view.profileId('anonymous_id:a-1')).toBe(profile.id);
          expect(profile.counters.total).toBe(3);
          expect(profile.ecommerce).toMatchObject({ orders: 1, revenue: 10 });
          expect(await view.decisions(profile.id)).toHaveLength(1);
        },
      );
    });

    it('never merges two different userIds, and ignores junk ids', async () => {
      await scenario(
        [
          anInteraction('identify')
            .anonymous('shared-device')
            .user('alice')
            .at('2026-11-01T10:00:00Z')
            .build(),
          anInteraction('identify')
            .anonymous('shared-device')
            .user('bob')
            .at('2026-11-01T11:00:00Z')
            .build(),
          anInteraction('identify')
            .anonymous('v-1')
            .user('undefined')
            .traits({ email: 'null' })
            .at('2026-11-01T12:00:00Z')
            .build(),
          anInteraction('identify')
            .anonymous('v-2')
            .user('undefined')
            .at('2026-11-01T12:01:00Z')
            .build(),
        ],
        async (view) => {
          const alice = await view.profile('user_id:alice');
          const bob = await view.profile('user_id:bob');
          expect(alice.id).not.toBe(bob.id);
          expect(alice.identifiers.sort()).toEqual(['anonymous_id:shared-device', 'user_id:alice']);
          expect(bob.identifiers).toEqual(['user_id:bob']);
          const v1 = await view.profile('anonymous_id:v-1');
          const v2 = await view.profile('anonymous_id:v-2');
          expect(v1.id).not.toBe(v2.id);
          expect(v1.identifiers).toEqual(['anonymous_id:v-1']);
          expect(await view.profileId('user_id:undefined')).toBeUndefined();
        },
      );
    });

    it('splits an identifier and its events out of a merged profile', async () => {
      await scenario(
        [
          anInteraction('page').anonymous('laptop').at('2026-11-01T10:00:00Z').build(),
          anInteraction('page').anonymous('laptop').at('2026-11-01T10:01:00Z').build(),
          anInteraction('track')
            .anonymous('tablet')
            .named('Product Viewed')
            .at('2026-11-01T11:00:00Z')
            .build(),
          anInteraction('identify')
            .anonymous('laptop')
            .user('carol')
            .at('2026-11-01T12:00:00Z')
            .build(),
          anInteraction('identify')
            .anonymous('tablet')
            .user('carol')
            .at('2026-11-01T13:00:00Z')
            .build(),
        ],
        async (view) => {
          const carol = await view.profile('user_id:carol');
          expect(carol.identifiers).not.toContain('anonymous_id:tablet');
          expect(carol.counters.total).toBe(4);
          const tablet = await view.profile('anonymous_id:tablet');
          expect(tablet.identifiers).toEqual(['anonymous_id:tablet']);
          expect(tablet.counters.byEvent).toEqual({ 'Product Viewed': 1 });
          expect(tablet.splitFrom).toEqual([carol.id]);
        },
        async (view) => {
          const carol = await view.profile('user_id:carol');
          expect(carol.identifiers).toContain('anonymous_id:tablet');
          expect(carol.counters.total).toBe(5);
          await view.split(carol.id, 'anonymous_id:tablet');
        },
      );
    });

    it('counts sessions, orders and decaying interests', async () => {
      await scenario(
        [
          anInteraction('page')
            .user('dan')
            .enrichment({ topics: ['garden'], geo: { country: 'GB' } })
            .at('2026-11-01T10:00:00Z')
            .build(),
          anInteraction('page')
            .user('dan')
            .enrichment({ topics: ['garden', 'tools'] })
            .at('2026-11-01T10:20:00Z')
            .build(),
          anInteraction('track')
            .user('dan')
            .named('Order Completed')
            .properties({ order_id: 'o1', revenue: 30.5 })
            .at('2026-11-01T10:25:00Z')
            .build(),
          anInteraction('track')
            .user('dan')
            .named('Order Completed')
            .properties({ order_id: 'o2', products: [{ price: 5, quantity: 3 }] })
            .enrichment({ geo: { country: 'FR' } })
            .at('2026-12-01T10:00:00Z')
            .build(),
          anInteraction('track')
            .user('dan')
            .named('Order Refunded')
            .properties({ order_id: 'o1', total: 30.5 })
            .at('2026-12-02T10:00:00Z')
            .build(),
        ],
        async (view) => {
          const dan = await view.profile('user_id:dan');
          expect(dan.sessions.count).toBe(3);
          expect(dan.ecommerce).toEqual({
            orders: 2,
            revenue: 45.5,
            averageOrderValue: 22.75,
            lastOrderAt: '2026-12-01T10:00:00.000Z',
            refunds: 1,
            refundedAmount: 30.5,
          });
          expect(dan.geo).toEqual({ country: 'FR' });
          expect(dan.interests.tools).toEqual({ score: 1, at: '2026-11-01T10:20:00.000Z' });
          expect(dan.interests.garden!.score).toBeCloseTo(1 + 0.5 ** (20 / (60 * 24 * 30)), 6);
        },
      );
    });
  });
}

describe('embedded and OpenSearch + Redis read sides', () => {
  it('build the same profiles for every scenario', (context) => {
    const [embedded, scaleOut] = [...digests.values()];
    if (!scaleOut || scaleOut.size === 0) return context.skip();
    expect(embedded!.size).toBe(7);
    expect(Object.fromEntries(scaleOut)).toEqual(Object.fromEntries(embedded!));
  });
});

/** Reads of the profile read model as the profile API makes them. */
class ReadSide {
  constructor(
    private readonly log: EventStore,
    private readonly store: ReadModelStore,
  ) {}

  async #prefix(): Promise<string> {
    const fields = await this.store.keyValues.hashGetAll(
      projectionStorage.metaKey(projection.name),
    );
    return projectionStorage.keyPrefix({
      projection: projection.name,
      generation: Number(fields.serving),
    });
  }

  async profileId(identifier: string): Promise<string | undefined> {
    return this.store.keyValues.get((await this.#prefix()) + profileKeys.owner(identifier));
  }

  async rawProfile(id: string): Promise<Profile | undefined> {
    const json = await this.store.keyValues.get((await this.#prefix()) + profileKeys.profile(id));
    return json === undefined ? undefined : (JSON.parse(json) as Profile);
  }

  async mergedInto(id: string): Promise<string | undefined> {
    return this.store.keyValues.get((await this.#prefix()) + profileKeys.mergedInto(id));
  }

  async profile(identifier: string): Promise<Profile> {
    const id = await this.profileId(identifier);
    const profile = id === undefined ? undefined : await this.rawProfile(id);
    if (!profile) throw new Error(`no profile for ${identifier}`);
    const indexed = await this.store.documents.get('profiles', profile.id);
    expect(indexed).toMatchObject({ id: profile.id, identifiers: profile.identifiers });
    return profile;
  }

  async decisions(profileId: string): Promise<ProfilesMergedData[]> {
    const { events } = await this.log.readStream(streamOf.profile(profileId));
    return events
      .filter((e) => e.type === PROFILES_MERGED)
      .map((e) => e.data as ProfilesMergedData);
  }

  async split(profileId: string, identifier: string): Promise<void> {
    await this.log.append(streamOf.profile(profileId), [
      {
        id: derivedId('spec-split', profileId, identifier),
        type: PROFILE_SPLIT,
        data: { profileId, identifier, newProfileId: derivedId('spec-profile', identifier) },
      },
    ]);
    await project(this.log, this.store, [projection]);
  }
}
