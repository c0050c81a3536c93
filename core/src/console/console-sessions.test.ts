import { describe, expect, it } from 'vitest';
import { ConsoleSessions, SESSION_SECONDS } from './console-sessions.js';

const secret = Buffer.alloc(32, 7);
const at = (seconds: number) => () => seconds * 1000;

describe('ConsoleSessions', () => {
  it('verifies the tokens it issues until they expire', () => {
    const issued = new ConsoleSessions(secret, at(1_000_000)).issue('key-1');
    expect(issued.session).toEqual({ keyId: 'key-1', expiresAt: 1_000_000 + SESSION_SECONDS });
    expect(issued.token).toMatch(
      new RegExp(`^v1\\.key-1\\.${1_000_000 + SESSION_SECONDS}\\.[\\w-]{43}$`),
    );
    const later = new ConsoleSessions(secret, at(1_000_000 + SESSION_SECONDS - 1));
    expect(later.verify(issued.token)).toEqual(issued.session);
    const expired = new ConsoleSessions(secret, at(1_000_000 + SESSION_SECONDS));
    expect(expired.verify(issued.token)).toBeUndefined();
  });

  it('refuses a token signed with another secret or changed in any part', () => {
    const sessions = new ConsoleSessions(secret, at(1_000_000));
    const { token } = sessions.issue('key-1');
    const [version, keyId, expires, signature] = token.split('.') as [
      string,
      string,
      string,
      string,
    ];
    expect(new ConsoleSessions(Buffer.alloc(32, 8), at(1_000_000)).verify(token)).toBeUndefined();
    for (const changed of [
      [version, 'key-2', expires, signature],
      [version, keyId, String(Number(expires) + 1), signature],
      ['v0', keyId, expires, signature],
      [version, keyId, expires, `${signature}!`],
      [version, keyId, expires, signature.slice(1)],
      [version, keyId, expires],
      [version, keyId, expires, signature, 'extra'],
      [version, '', expires, signature],
    ]) {
      expect(sessions.verify(changed.join('.')), changed.join('.')).toBeUndefined();
    }
  });
});
