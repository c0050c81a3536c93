import { userHash } from '@uspa/sdk';
import { describe, expect, it } from 'vitest';
import { API_KEY_CREATED, hashKeySecret, type ApiKeyCreated } from '../domain/api-keys.js';
import { ApiKeyDirectory } from '../keys/api-key-directory.js';
import { decideHandshake } from './visitor-handshake.js';

const SECRET = 'identity-secret-for-tests';
const writeKey = 'uspa_wk_unit_test_write_key_012345';
const keys = new ApiKeyDirectory();
const created: ApiKeyCreated = {
  id: 'k-1',
  type: 'write',
  name: 'shop',
  sourceId: 'k-1',
  scopes: [],
  allowedOrigins: ['https://shop.example'],
  secretHash: hashKeySecret(writeKey),
  prefix: writeKey.slice(0, 12),
  createdAt: '2025-01-01T00:00:00.000Z',
};
keys.apply({ type: API_KEY_CREATED, data: created });

/** `secret: null`: no identity secret configured. */
const decide = (auth: Record<string, unknown>, origin?: string, secret: string | null = SECRET) =>
  decideHandshake({ auth: { writeKey, ...auth }, origin }, keys, secret ?? undefined);

describe('decideHandshake', () => {
  it('accepts a request without an Origin header (not a browser), as collection does', () => {
    expect(decide({ anonymousId: 'a-1' })).toEqual({
      accepted: true,
      visitor: { anonymousId: 'a-1' },
      url: undefined,
      writeKeyId: 'k-1',
    });
  });

  it('accepts an allowed origin and keeps the ids trimmed, as the profile projection stores them', () => {
    const hash = userHash(' 42 ', SECRET);
    expect(
      decide(
        { anonymousId: ' a-1 ', userId: ' 42 ', userHash: hash, url: 'https://shop.example/' },
        'https://shop.example',
      ),
    ).toMatchObject({
      accepted: true,
      visitor: { anonymousId: 'a-1', userId: '42' },
      url: 'https://shop.example/',
    });
  });

  it('accepts an upper-case hex user hash', () => {
    const hash = userHash('42', SECRET).toUpperCase();
    expect(decide({ anonymousId: 'a-1', userId: '42', userHash: hash })).toMatchObject({
      accepted: true,
    });
  });

  it('treats a null userId as none', () => {
    expect(decide({ anonymousId: 'a-1', userId: null })).toMatchObject({
      accepted: true,
      visitor: { anonymousId: 'a-1' },
    });
  });

  it('drops a url that is not a string of at most 2048 characters', () => {
    expect(decide({ anonymousId: 'a-1', url: 42 })).toMatchObject({ url: undefined });
    expect(decide({ anonymousId: 'a-1', url: `https://x/${'p'.repeat(2048)}` })).toMatchObject({
      url: undefined,
    });
  });

  it.each([
    [{ anonymousId: 'a-1' }, 'https://evil.example', SECRET, 'origin_not_allowed'],
    [
      { anonymousId: 'a-1', userId: 42, userHash: userHash('42', SECRET) },
      undefined,
      SECRET,
      'invalid_user_hash',
    ],
    [{ anonymousId: 'a-1', userId: '42', userHash: 'zz' }, undefined, SECRET, 'invalid_user_hash'],
    [
      { anonymousId: 'a-1', userId: '42', userHash: userHash('42', SECRET) },
      undefined,
      null,
      'invalid_user_hash',
    ],
    [{ anonymousId: ['a-1'] }, undefined, SECRET, 'missing_anonymous_id'],
  ])('refuses %j from %s', (auth, origin, secret, code) => {
    expect(decide(auth, origin, secret)).toMatchObject({ accepted: false, refusal: { code } });
  });

  it('refuses a write key that is not a string', () => {
    expect(
      decideHandshake({ auth: { writeKey: 7, anonymousId: 'a' }, origin: undefined }, keys, SECRET),
    ).toMatchObject({
      refusal: { code: 'invalid_write_key' },
    });
  });
});
