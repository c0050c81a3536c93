import { describe, expect, it } from 'vitest';
import {
  API_KEY_CREATED,
  API_KEY_REVOKED,
  hashKeySecret,
  type ApiKeyCreated,
} from '../domain/api-keys.js';
import { ApiKeyDirectory } from './api-key-directory.js';

function created(id: string, type: 'write' | 'secret', secret: string): ApiKeyCreated {
  return {
    id,
    type,
    name: id,
    sourceId: `source-${id}`,
    scopes: type === 'secret' ? ['admin'] : [],
    allowedOrigins: [],
    secretHash: hashKeySecret(secret),
    prefix: secret.slice(0, 12),
    createdAt: '2026-11-30T10:00:00.000Z',
  };
}

describe('ApiKeyDirectory', () => {
  it('finds a write key by its secret again and again, and refuses it once revoked', () => {
    const keys = new ApiKeyDirectory();
    keys.apply({ type: API_KEY_CREATED, data: created('web', 'write', 'uspa_wk_site') });
    expect(keys.findBySecret('uspa_wk_site')?.sourceId).toBe('source-web');
    expect(keys.findBySecret('uspa_wk_site')?.sourceId).toBe('source-web');

    // The creation read again (a follower that starts over) must not hide a later revocation.
    keys.apply({ type: API_KEY_CREATED, data: created('web', 'write', 'uspa_wk_site') });
    keys.apply({ type: API_KEY_REVOKED, data: { id: 'web', revokedAt: '2026-11-30T11:00:00Z' } });
    expect(keys.findBySecret('uspa_wk_site')).toBeUndefined();
  });

  it('finds secret keys and tells unknown secrets apart', () => {
    const keys = new ApiKeyDirectory();
    keys.apply({ type: API_KEY_CREATED, data: created('ops', 'secret', 'uspa_sk_ops') });
    expect(keys.findBySecret('uspa_sk_ops')?.type).toBe('secret');
    expect(keys.findBySecret('uspa_sk_ops')?.type).toBe('secret');
    expect(keys.findBySecret('uspa_wk_unknown')).toBeUndefined();
    keys.apply({ type: API_KEY_REVOKED, data: { id: 'ops', revokedAt: '2026-11-30T11:00:00Z' } });
    expect(keys.findBySecret('uspa_sk_ops')).toBeUndefined();
  });

  it('tells its listeners of each revocation once, until they unsubscribe', () => {
    const keys = new ApiKeyDirectory();
    const heard: string[] = [];
    const stop = keys.onRevoked((id) => heard.push(id));
    keys.apply({ type: API_KEY_CREATED, data: created('web', 'write', 'uspa_wk_site') });
    keys.apply({ type: API_KEY_CREATED, data: created('app', 'write', 'uspa_wk_app') });
    const revoke = (id: string) =>
      keys.apply({ type: API_KEY_REVOKED, data: { id, revokedAt: '2026-11-30T11:00:00Z' } });
    revoke('web');
    revoke('web'); // Read again by a follower that starts over: no news.
    revoke('unknown');
    stop();
    revoke('app');
    expect(heard).toEqual(['web']);
    expect(keys.findBySecret('uspa_wk_app')).toBeUndefined();
  });
});
