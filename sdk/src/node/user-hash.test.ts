import { describe, expect, it } from 'vitest';
import { userHash } from './user-hash.js';

describe('userHash', () => {
  it('is the hex HMAC-SHA256 of the user id under the identity secret', () => {
    // The widely published HMAC-SHA256 example for this key and message.
    expect(userHash('The quick brown fox jumps over the lazy dog', 'key')).toBe(
      'f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8',
    );
  });

  it('differs per user and per secret', () => {
    expect(userHash('user-1', 'secret')).not.toBe(userHash('user-2', 'secret'));
    expect(userHash('user-1', 'secret')).not.toBe(userHash('user-1', 'other'));
  });
});
