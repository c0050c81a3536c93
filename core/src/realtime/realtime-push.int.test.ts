/**
 * What the realtime gateway pushes after the first snapshot: only what changed, to the visitors
 * a change names, on profile changes, content rule changes and navigation (one process).
 */
import { PERSONALIZE_EVENTS, userHash } from '@uspa/sdk';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGatewayUnderTest, type GatewayUnderTest } from './gateway-under-test.fixture.js';
import {
  heroAll,
  heroVip,
  KeyRing,
  slotOf,
  type PlainRule,
} from './plain-personalization.fixture.js';

const SECRET = 'identity-secret-for-tests';
const SALE = 'https://shop.example/sale';
const saleBanner: PlainRule = {
  ruleId: 'r-sale',
  slot: 'banner',
  urlPrefix: SALE,
  content: { text: '-20% today' },
};

const dataDir = mkdtempSync(join(tmpdir(), 'uspa-realtime-'));
const ring = new KeyRing(dataDir);
let writeKey = '';
beforeAll(async () => {
  writeKey = (await ring.create({ type: 'write' })).secret;
});
afterAll(async () => {
  await ring.close();
  rmSync(dataDir, { recursive: true, force: true });
});

let under: GatewayUnderTest;
beforeEach(async () => {
  under = await startGatewayUnderTest(ring.keys, [heroVip, heroAll, saleBanner], {
    identitySecret: SECRET,
  });
});
afterEach(() => under.stop());

const change = (identifiers: string[], segments: string[]) => ({
  profileId: 'p-1',
  identifiers,
  segments,
  mergedFrom: [],
});

describe('realtime pushes', () => {
  it('sends only what a profile change changes, and nothing when nothing does', async () => {
    const client = under.visitor({ writeKey, anonymousId: 'a-1', url: `${SALE}/shoes` });
    expect((await client.next()).payload).toEqual({
      segments: [],
      content: { hero: slotOf(heroAll), banner: slotOf(saleBanner) },
    });

    under.source.reportProfileChange(change(['anonymous_id:a-1'], ['vip']));
    expect(await client.next()).toEqual({
      event: 'changed',
      payload: { segments: ['vip'], content: { hero: slotOf(heroVip) } },
    });
    // The same segments again, in another order: nothing to send.
    under.source.reportProfileChange(change(['anonymous_id:a-1', 'email:a@b.c'], ['vip']));
    // A segment no rule looks at: the segments, no content.
    under.source.reportProfileChange(change(['anonymous_id:a-1'], ['newsletter', 'vip']));
    expect(await client.next()).toEqual({
      event: 'changed',
      payload: { segments: ['newsletter', 'vip'] },
    });
    under.source.reportProfileChange(change(['anonymous_id:a-1'], []));
    expect(await client.next()).toEqual({
      event: 'changed',
      payload: { segments: [], content: { hero: slotOf(heroAll) } },
    });
    expect(await under.metric('uspa_realtime_pushes_total')).toContain(
      'uspa_realtime_pushes_total{kind="changed"} 3',
    );
  });

  it('sends a change only to the visitors whose ids the profile holds', async () => {
    const first = under.visitor({ writeKey, anonymousId: 'a-1' });
    const second = under.visitor({ writeKey, anonymousId: 'a-2' });
    const user = under.visitor({
      writeKey,
      anonymousId: 'a-3',
      userId: '42',
      userHash: userHash('42', SECRET),
    });
    for (const client of [first, second, user])
      expect((await client.next()).event).toBe('snapshot');

    under.source.reportProfileChange(change(['anonymous_id:a-2'], ['vip']));
    expect((await second.next()).payload).toEqual({
      segments: ['vip'],
      content: { hero: slotOf(heroVip) },
    });
    // Known by the user id alone: the merged profile holds another anonymous id.
    under.source.reportProfileChange(change(['anonymous_id:a-9', 'user_id:42'], ['vip']));
    expect((await user.next()).payload).toEqual({
      segments: ['vip'],
      content: { hero: slotOf(heroVip) },
    });
    under.source.reportProfileChange(change(['anonymous_id:a-1'], ['other']));
    // The first message `first` gets is its own change: it never saw the others.
    expect((await first.next()).payload).toEqual({ segments: ['other'] });
  });

  it('sends the slots a content rule change touches, null for a withdrawn one', async () => {
    const client = under.visitor({ writeKey, anonymousId: 'a-1', url: SALE });
    await client.next();
    const newHero = { ...heroAll, content: { title: 'Hello again' } };
    under.source.reportRulesChanged([heroVip, newHero]);
    expect(await client.next()).toEqual({
      event: 'changed',
      payload: { content: { hero: slotOf(newHero), banner: null } },
    });
    under.source.reportRulesChanged([heroVip, newHero]);
    under.source.reportRulesChanged([heroVip, newHero, saleBanner]);
    expect((await client.next()).payload).toEqual({ content: { banner: slotOf(saleBanner) } });
  });

  it('sends a fresh snapshot when the visitor navigates, ignoring a malformed page', async () => {
    under.source.segments.set('anonymous_id:a-1', ['vip']);
    const client = under.visitor({ writeKey, anonymousId: 'a-1', url: 'https://shop.example/' });
    expect((await client.next()).payload).toEqual({
      segments: ['vip'],
      content: { hero: slotOf(heroVip) },
    });
    client.socket.emit(PERSONALIZE_EVENTS.page, { url: 42 });
    client.socket.emit(PERSONALIZE_EVENTS.page, 'not an object');
    client.socket.emit(PERSONALIZE_EVENTS.page, { url: `${SALE}/hats` });
    expect(await client.next()).toEqual({
      event: 'snapshot',
      payload: {
        segments: ['vip'],
        content: { hero: slotOf(heroVip), banner: slotOf(saleBanner) },
      },
    });
    // Content is now for the sale page: a rule change there is judged against it.
    under.source.reportRulesChanged([heroVip]);
    expect((await client.next()).payload).toEqual({ content: { banner: null } });
  });

  it('applies a change that arrives while the first snapshot is being read, after it', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const read = under.source.segmentsOf.bind(under.source);
    // The read answers what the profile was before the change, but only after the change.
    under.source.segmentsOf = async (visitor) => {
      const before = await read(visitor);
      await gate;
      return before;
    };
    under.source.segments.set('anonymous_id:a-1', ['stale']);
    const client = under.visitor({ writeKey, anonymousId: 'a-1' });
    await new Promise<void>((resolve) => client.socket.once('connect', () => resolve()));
    under.source.reportProfileChange(change(['anonymous_id:a-1'], ['vip']));
    release();
    expect(await client.next()).toEqual({
      event: 'snapshot',
      payload: { segments: ['stale'], content: { hero: slotOf(heroAll) } },
    });
    expect(await client.next()).toEqual({
      event: 'changed',
      payload: { segments: ['vip'], content: { hero: slotOf(heroVip) } },
    });
  });

  it('disconnects every visitor on close and leaves the HTTP server serving', async () => {
    const client = under.visitor({ writeKey, anonymousId: 'a-1' });
    await client.next();
    const disconnected = new Promise((resolve) => client.socket.once('disconnect', resolve));
    await under.gateway.close();
    await disconnected;
    expect(under.gateway.connectedClients()).toBe(0);
    expect(await (await fetch(`${under.base}/anything`)).text()).toBe('plain http');
    const late = under.visitor({ writeKey, anonymousId: 'a-2' });
    await expect(late.refusal()).rejects.toThrow();
  });
});
