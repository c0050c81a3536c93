import type { Document } from '../ports/document-store.port.js';
import { describe, expect, it } from 'vitest';
import type { ProjectionContext } from '../runtime/projection.js';
import type { Fact } from '../segments/condition/segment-view.js';
import { SegmentCatalog } from '../segments/segment-catalog.js';
import { ProfileBatch } from './profile-batch.js';
import { PROFILES_COLLECTION } from './profile-keys.js';
import { emptyProfile } from './profile.js';

const NOW = Date.parse('2026-11-29T10:00:00Z');

/** A context that keeps the documents a batch puts, with nothing stored before. */
function aContext() {
  const documents = new Map<string, Document>();
  const context: ProjectionContext = {
    documents: {
      get: () => Promise.resolve(undefined),
      search: () => Promise.resolve({ hits: [], total: 0 }),
      getMany: () => Promise.resolve(new Map()),
      put: (collection, id, document) => void documents.set(`${collection}/${id}`, document),
      remove: (collection, id) => void documents.delete(`${collection}/${id}`),
    },
    keyValues: {
      get: () => Promise.resolve(undefined),
      getMany: (keys) => Promise.resolve(keys.map(() => undefined)),
      hashGetAll: () => Promise.resolve({}),
      sortedSetRange: () => Promise.resolve([]),
      write: () => undefined,
    },
    log: {
      readStream: () => Promise.resolve({ events: [], status: 'no_stream' } as never),
      readAll: () => Promise.resolve([]),
    },
    append: () => Promise.resolve(),
    redelivery: false,
    catchingUp: false,
    deferWrites: false,
    endWindow: () => undefined,
    memory: new Map(),
  };
  return { context, documents };
}

function proCatalog(): SegmentCatalog {
  const catalog = new SegmentCatalog();
  catalog.define({
    id: 'pro',
    name: 'Pro plan',
    condition: { property: 'traits.plan', op: 'equals', value: 'pro' },
    version: 1,
    createdAt: '2026-11-01T00:00:00Z',
    updatedAt: '2026-11-01T00:00:00Z',
  });
  return catalog;
}

const planFacts = (document: Document | undefined) =>
  ((document?.facts ?? []) as Fact[]).filter((fact) => fact.p === 'traits.plan');

describe('ProfileBatch search documents', () => {
  it('index the facts a profile has when written, also when it changed after evaluation', async () => {
    const { context, documents } = aContext();
    const catalog = proCatalog();
    const first = new ProfileBatch(context, { catalog, now: () => NOW });
    const profile = first.add(emptyProfile('p-1', NOW));
    profile.traits.plan = 'pro';
    expect(first.evaluateSegments(profile, 'profile_changed')).toBe(true);
    expect(profile.segments).toEqual(['pro']);

    // A later batch changes the profile before its search document is written.
    const second = new ProfileBatch(context, { catalog, now: () => NOW });
    profile.traits.plan = 'free';
    second.touch(profile);
    await second.flushEvaluated();

    const document = documents.get(`${PROFILES_COLLECTION}/p-1`);
    expect(planFacts(document)).toEqual([{ p: 'traits.plan', s: 'free' }]);
    // Memberships stay as evaluated until the profile is evaluated again.
    expect(document?.segments).toEqual(['pro']);
  });

  it('index the facts of a profile changed in the same batch after its evaluation', async () => {
    const { context, documents } = aContext();
    const batch = new ProfileBatch(context, { catalog: proCatalog(), now: () => NOW });
    const profile = batch.add(emptyProfile('p-3', NOW));
    profile.traits.plan = 'free';
    expect(batch.evaluateSegments(profile, 'profile_changed')).toBe(false);
    profile.traits.plan = 'team';
    batch.touch(profile);
    await batch.flushEvaluated();

    const document = documents.get(`${PROFILES_COLLECTION}/p-3`);
    expect(planFacts(document)).toEqual([{ p: 'traits.plan', s: 'team' }]);
  });

  it('index the evaluated facts and memberships of an unchanged profile', async () => {
    const { context, documents } = aContext();
    const catalog = proCatalog();
    const batch = new ProfileBatch(context, { catalog, now: () => NOW });
    const profile = batch.add(emptyProfile('p-2', NOW));
    profile.traits.plan = 'pro';
    batch.evaluateSegments(profile, 'profile_changed');
    await batch.flushEvaluated();

    const document = documents.get(`${PROFILES_COLLECTION}/p-2`);
    expect(planFacts(document)).toEqual([{ p: 'traits.plan', s: 'pro' }]);
    expect(document?.segments).toEqual(['pro']);
  });

  it('index a live change once the profile has waited for more, each profile once', async () => {
    const { context, documents } = aContext();
    const catalog = proCatalog();
    expect(await new ProfileBatch(context, { catalog, now: () => NOW }).indexPending(2000)).toBe(
      false,
    );
    const changed = new ProfileBatch(context, { catalog, now: () => NOW });
    for (let i = 0; i < 300; i++) changed.add(emptyProfile(`p-${i}`, NOW));
    await changed.flush();
    // 300 profiles in the queue: each waits 1 ms per profile queued before it is indexed.
    const early = await new ProfileBatch(context, { catalog, now: () => NOW }).indexPending(2000);
    expect(early).toMatchObject({ after: expect.any(Number) as number });
    expect((early as { after: number }).after).toBeGreaterThan(200);
    expect(documents.size).toBe(0);

    const again = new ProfileBatch(context, { catalog, now: () => NOW });
    const profile = again.profile('p-0')!;
    profile.traits.plan = 'pro';
    again.touch(profile);
    await again.flush();

    await new Promise((resolve) => setTimeout(resolve, 310));
    let steps = 0;
    for (;;) {
      const left = await new ProfileBatch(context, { catalog, now: () => NOW }).indexPending(2000);
      steps++;
      if (left === false) break;
      expect(left).toBe(true);
    }
    expect(documents.size).toBe(300);
    // A few profiles per step, so a step never holds the event loop long.
    expect(steps).toBeGreaterThanOrEqual(15);
    expect(planFacts(documents.get(`${PROFILES_COLLECTION}/p-0`))).toEqual([
      { p: 'traits.plan', s: 'pro' },
    ]);
  });

  it('appends the decisions of every profile together, not one stream after another', async () => {
    const { context } = aContext();
    const appended: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const batch = new ProfileBatch(
      { ...context, append: (stream) => (appended.push(stream), held) },
      { catalog: proCatalog(), now: () => NOW },
    );
    for (const id of ['p-1', 'p-2', 'p-3']) batch.add(emptyProfile(id, NOW)).traits.plan = 'pro';

    const flushed = batch.flush();
    // Each profile entered `pro`: all three streams are on their way before any is stored.
    expect(appended.sort()).toEqual(['profile-p-1', 'profile-p-2', 'profile-p-3']);
    release();
    await flushed;
  });
});
