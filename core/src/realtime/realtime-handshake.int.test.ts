/** Who the realtime gateway lets in, against real socket.io clients and real write keys. */
import { userHash } from '@uspa/sdk';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayUnderTest, type GatewayUnderTest } from './gateway-under-test.fixture.js';
import {
  heroAll,
  heroVip,
  KeyRing,
  slotOf,
  type PlainRule,
} from './plain-personalization.fixture.js';
import type { RealtimeGatewayOptions } from './realtime-gateway.js';

const SECRET = 'identity-secret-for-tests';
const SHOP = 'https://shop.example';
const saleBanner: PlainRule = {
  ruleId: 'r-sale',
  slot: 'banner',
  urlPrefix: `${SHOP}/sale`,
  content: { text: '-20% today' },
};
const rules = [heroVip, heroAll, saleBanner];

const dataDir = mkdtempSync(join(tmpdir(), 'uspa-realtime-'));
const ring = new KeyRing(dataDir);
const key: Record<'open' | 'shop' | 'revoked' | 'admin', string> = {
  open: '',
  shop: '',
  revoked: '',
  admin: '',
};
beforeAll(async () => {
  key.open = (await ring.create({ type: 'write' })).secret;
  key.shop = (await ring.create({ type: 'write', allowedOrigins: [SHOP] })).secret;
  const revoked = await ring.create({ type: 'write' });
  await ring.revoke(revoked.id);
  key.revoked = revoked.secret;
  key.admin = (await ring.create({ type: 'secret', scopes: ['admin'] })).secret;
});
afterAll(async () => {
  await ring.close();
  rmSync(dataDir, { recursive: true, force: true });
});

let under: GatewayUnderTest | undefined;
const start = async (options: RealtimeGatewayOptions = { identitySecret: SECRET }) => {
  under = await startGatewayUnderTest(ring.keys, rules, options);
  return under;
};
afterEach(async () => {
  await under?.stop();
  under = undefined;
});

describe('realtime handshake', () => {
  const hashed = (userId: string, secret = SECRET) => ({
    userId,
    userHash: userHash(userId, secret),
  });
  it.each([
    [
      'an unknown write key',
      () => ({ writeKey: 'uspa_wk_unknown', anonymousId: 'a-1' }),
      'invalid_write_key',
    ],
    [
      'a revoked write key',
      () => ({ writeKey: key.revoked, anonymousId: 'a-1' }),
      'invalid_write_key',
    ],
    ['a secret key', () => ({ writeKey: key.admin, anonymousId: 'a-1' }), 'invalid_write_key'],
    ['no anonymousId', () => ({ writeKey: key.open }), 'missing_anonymous_id'],
    [
      'a blank anonymousId',
      () => ({ writeKey: key.open, anonymousId: '  ' }),
      'missing_anonymous_id',
    ],
    [
      'a numeric anonymousId',
      () => ({ writeKey: key.open, anonymousId: 7 }),
      'missing_anonymous_id',
    ],
    [
      'a 201-character anonymousId',
      () => ({ writeKey: key.open, anonymousId: 'a'.repeat(201) }),
      'missing_anonymous_id',
    ],
    [
      'a userId without a hash',
      () => ({ writeKey: key.open, anonymousId: 'a-1', userId: '42' }),
      'invalid_user_hash',
    ],
    [
      'a userId hashed with another secret',
      () => ({ writeKey: key.open, anonymousId: 'a-1', ...hashed('42', 'another-secret-xyz') }),
      'invalid_user_hash',
    ],
    [
      'a userId with the hash of another user',
      () => ({
        writeKey: key.open,
        anonymousId: 'a-1',
        userId: '42',
        userHash: userHash('43', SECRET),
      }),
      'invalid_user_hash',
    ],
  ])('refuses %s', async (_case, auth, code) => {
    const gateway = await start();
    const refusal = await gateway.visitor(auth()).refusal();
    expect(refusal.code).toBe(code);
    expect(refusal.message.length).toBeGreaterThan(0);
    expect(gateway.gateway.connectedClients()).toBe(0);
    expect(await gateway.metric('uspa_realtime_refusals_total')).toContain(
      `uspa_realtime_refusals_total{code="${code}"} 1`,
    );
  });

  it('refuses an origin the write key does not allow, over websocket and polling', async () => {
    const gateway = await start();
    const auth = { writeKey: key.shop, anonymousId: 'a-1' };
    for (const transport of ['websocket', 'polling'] as const) {
      const client = gateway.visitor(auth, {
        origin: 'https://evil.example',
        transports: [transport],
      });
      expect(await client.refusal()).toEqual({
        code: 'origin_not_allowed',
        message: 'Origin https://evil.example may not use this write key',
      });
    }
  });

  it('trusts no userId when no identity secret is configured', async () => {
    const gateway = await start({});
    const claimed = gateway.visitor({ writeKey: key.open, anonymousId: 'a-1', ...hashed('42') });
    expect((await claimed.refusal()).code).toBe('invalid_user_hash');
    const anonymous = gateway.visitor({ writeKey: key.open, anonymousId: 'a-1' });
    expect((await anonymous.next()).event).toBe('snapshot');
  });

  it('sends a verified user the snapshot of their profile for the page, from an allowed origin', async () => {
    const gateway = await start();
    gateway.source.segments.set('user_id:42', ['vip']);
    gateway.source.segments.set('anonymous_id:a-1', ['before-login']);
    const client = gateway.visitor(
      { writeKey: key.shop, anonymousId: 'a-1', ...hashed('42'), url: `${SHOP}/sale/shoes` },
      { origin: SHOP },
    );
    expect(await client.next()).toEqual({
      event: 'snapshot',
      payload: {
        segments: ['vip'],
        content: { hero: slotOf(heroVip), banner: slotOf(saleBanner) },
      },
    });
    expect(gateway.gateway.connectedClients()).toBe(1);
    expect(await gateway.metric('uspa_realtime_connected_clients')).toContain(
      'uspa_realtime_connected_clients 1',
    );
  });

  it('sends a visitor without a profile the content for no segments', async () => {
    const gateway = await start();
    const client = gateway.visitor({ writeKey: key.open, anonymousId: 'a-new', url: `${SHOP}/` });
    expect(await client.next()).toEqual({
      event: 'snapshot',
      payload: { segments: [], content: { hero: slotOf(heroAll) } },
    });
  });

  it('ends the connections of a write key when it is revoked, and only those', async () => {
    const gateway = await start();
    const doomed = await ring.create({ type: 'write' });
    const leaving = gateway.visitor({ writeKey: doomed.secret, anonymousId: 'a-leaving' });
    const staying = gateway.visitor({ writeKey: key.open, anonymousId: 'a-staying' });
    expect((await leaving.next()).event).toBe('snapshot');
    expect((await staying.next()).event).toBe('snapshot');
    const reason = new Promise<string>((resolve) => leaving.socket.once('disconnect', resolve));

    await ring.revoke(doomed.id);

    expect(await reason).toBe('io server disconnect');
    expect(staying.socket.connected).toBe(true);
    expect(gateway.gateway.connectedClients()).toBe(1);
    const again = gateway.visitor({ writeKey: doomed.secret, anonymousId: 'a-leaving' });
    expect((await again.refusal()).code).toBe('invalid_write_key');
  });
});
