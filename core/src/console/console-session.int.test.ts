import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG, type UspaConfig } from '../config/config.js';
import {
  startTestServer,
  TEST_ADMIN_KEY,
  TEST_WRITE_KEY,
  type TestServer,
} from '../testing/uspa-test-server.js';
import { asConsole, createKey, signIn, signedInCookie } from './console-session.fixture.js';

let uspa: TestServer;

beforeAll(async () => {
  uspa = await startTestServer();
});

afterAll(async () => {
  await uspa.stop();
});

describe('console sign-in', () => {
  it('sets an HttpOnly SameSite=Strict cookie for the admin key, which the API accepts with the console header only', async () => {
    const signedIn = await signIn(uspa, TEST_ADMIN_KEY);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body).toEqual({
      keyId: expect.any(String) as string,
      name: 'bootstrap admin key',
      scopes: ['admin'],
    });
    const attributes = signedIn.setCookie!.split('; ');
    expect(attributes[0]).toMatch(/^uspa_session=v1\.[^.]+\.\d+\.[\w-]+$/);
    expect(attributes.slice(1).sort()).toEqual(
      ['HttpOnly', 'Max-Age=43200', 'Path=/', 'SameSite=Strict'].sort(),
    );
    const cookie = signedIn.cookie!;

    const segments = await asConsole(uspa, '/v1/segments', cookie);
    expect(segments.status).toBe(200);
    expect(await segments.json()).toEqual({ segments: [] });
    // Without the header, a cross-site form could ride on the cookie: refused.
    const forged = await asConsole(uspa, '/v1/segments', cookie, { header: false });
    expect(forged.status).toBe(401);
    expect(forged.headers.get('content-type')).toContain('application/problem+json');

    const session = await asConsole(uspa, '/v1/console/session', cookie);
    expect(session.status).toBe(200);
    expect(await session.json()).toEqual(signedIn.body);
  });

  it('marks the cookie Secure when a trusted proxy says the browser came over https', async () => {
    const proxied = await startTestServer({ USPA_TRUST_PROXY: 'true' });
    try {
      const response = await fetch(`${proxied.base}/v1/console/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' },
        body: JSON.stringify({ key: TEST_ADMIN_KEY }),
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('set-cookie')).toMatch(/; Secure$/);
    } finally {
      await proxied.stop();
    }
  });

  it('refuses a wrong key, a write key and a key without the console scope, setting nothing', async () => {
    const reader = await createKey(uspa, {
      type: 'secret',
      name: 'reader',
      scopes: ['profiles:read'],
    });
    for (const key of ['uspa_sk_not_a_key_0123456789', TEST_WRITE_KEY, reader.key, 42]) {
      const refused = await signIn(uspa, key);
      expect(refused.status, String(key)).toBe(401);
      expect(refused.body.code).toBe('unauthorized');
      expect(refused.setCookie).toBeNull();
    }
  });

  it('answers 429 to an address after 10 failed sign-ins a minute, even with the right key', async () => {
    const guarded = await startTestServer();
    try {
      for (let attempt = 0; attempt < 10; attempt++) {
        expect((await signIn(guarded, `uspa_sk_guess_${attempt}_0123456789`)).status).toBe(401);
      }
      const held = await fetch(`${guarded.base}/v1/console/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ key: TEST_ADMIN_KEY }),
      });
      expect(held.status).toBe(429);
      expect(Number(held.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(held.headers.get('set-cookie')).toBeNull();
      expect(((await held.json()) as { code: string }).code).toBe('too_many_requests');
    } finally {
      await guarded.stop();
    }
  });

  it('signs in with a console-scoped key made through the API, which then reads profiles by identifier', async () => {
    const created = await createKey(uspa, {
      type: 'secret',
      name: 'Ada at the console',
      scopes: ['console'],
    });
    const signedIn = await signIn(uspa, created.key);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body).toEqual({
      keyId: created.id,
      name: 'Ada at the console',
      scopes: ['console'],
    });

    const keys = await asConsole(uspa, '/v1/admin/keys', signedIn.cookie!);
    expect(keys.status).toBe(200);
    // The lookup fast path runs in front of express and authenticates on its own.
    const lookup = await asConsole(uspa, '/v1/profiles/user_id:nobody', signedIn.cookie!);
    expect(lookup.status).toBe(404);
    const anonymous = await asConsole(uspa, '/v1/profiles/user_id:nobody', signedIn.cookie!, {
      header: false,
    });
    expect(anonymous.status).toBe(401);
  });

  it('stops accepting the cookie of a key once it is revoked', async () => {
    const created = await createKey(uspa, { type: 'secret', name: 'leaving', scopes: ['console'] });
    const cookie = await signedInCookie(uspa, created.key);
    expect((await asConsole(uspa, '/v1/segments', cookie)).status).toBe(200);

    const revoked = await fetch(`${uspa.base}/v1/admin/keys/${created.id}`, {
      method: 'DELETE',
      headers: { authorization: uspa.adminAuth },
    });
    expect(revoked.status).toBe(200);
    expect((await asConsole(uspa, '/v1/segments', cookie)).status).toBe(401);
    expect((await asConsole(uspa, '/v1/console/session', cookie)).status).toBe(401);
    expect((await signIn(uspa, created.key)).status).toBe(401);
  });

  it('signs out by clearing the cookie', async () => {
    const cookie = await signedInCookie(uspa, TEST_ADMIN_KEY);
    const signedOut = await asConsole(uspa, '/v1/console/session', cookie, { method: 'DELETE' });
    expect(signedOut.status).toBe(204);
    const cleared = signedOut.headers.get('set-cookie')!;
    expect(cleared).toMatch(/^uspa_session=;/);
    expect(cleared).toContain('Max-Age=0');
    // The browser now sends no cookie, and without one the session is gone.
    expect((await asConsole(uspa, '/v1/console/session', '')).status).toBe(401);
  });

  it('refuses a tampered or foreign token', async () => {
    const cookie = await signedInCookie(uspa, TEST_ADMIN_KEY);
    const [, keyId, expires, signature] = cookie.slice('uspa_session='.length).split('.');
    const flipped = signature!.startsWith('A')
      ? `B${signature!.slice(1)}`
      : `A${signature!.slice(1)}`;
    const tampered = [
      `v1.${keyId}.${expires}.${flipped}`,
      `v1.${keyId}.${Number(expires) + 3600}.${signature}`,
      `v1.someone-else.${expires}.${signature}`,
      `v2.${keyId}.${expires}.${signature}`,
      `v1.${keyId}.${expires}`,
    ];
    for (const token of tampered) {
      const response = await asConsole(uspa, '/v1/segments', `uspa_session=${token}`);
      expect(response.status, token).toBe(401);
    }
  });

  it('keeps its signing secret in the data directory, readable by the owner only', () => {
    const { dataDir } = uspa.server.container.resolve<UspaConfig>(CONFIG);
    const file = join(dataDir, 'console-session-secret');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url')).toHaveLength(32);
  });
});
