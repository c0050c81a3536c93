import { describe, expect, it } from 'vitest';
import { isSealed } from './sealed-secret.js';
import { SecretBox } from './secret-box.js';

const box = new SecretBox(Buffer.from('an operator secret of 32 bytes!!'));

describe('SecretBox', () => {
  it('opens what it sealed, strings and other JSON values alike', () => {
    for (const value of ['whsec_123', 42, { token: 'x', scopes: ['a'] }, '']) {
      expect(box.open(box.seal(value))).toEqual(value);
    }
  });

  it('seals the same value differently each time, and never in clear', () => {
    const first = box.seal('whsec_123');
    const second = box.seal('whsec_123');
    expect(first.$sealed).not.toBe(second.$sealed);
    expect(first.$sealed).not.toContain('whsec');
    expect(first.$sealed).toMatch(new RegExp(`^v1\\.${box.keyId}\\.`));
    expect(isSealed(first)).toBe(true);
  });

  it('names both keys when the secret was sealed under another one', () => {
    const other = new SecretBox(Buffer.from('another operator secret, 32 byte'));
    expect(other.keyId).not.toBe(box.keyId);
    expect(() => other.open(box.seal('whsec_123'))).toThrow(
      `the secret was sealed with key ${box.keyId}, and this process has key ${other.keyId}`,
    );
  });

  it('refuses a sealed secret that was changed', () => {
    const sealed = box.seal('whsec_123');
    const parts = sealed.$sealed.split('.');
    const ciphertext = Buffer.from(parts[4]!, 'base64url');
    ciphertext[0] = ciphertext[0]! ^ 1;
    parts[4] = ciphertext.toString('base64url');
    expect(() => box.open({ $sealed: parts.join('.') })).toThrow('the sealed secret is damaged');
    expect(() => box.open({ $sealed: 'v2.x' })).toThrow('the sealed secret is malformed');
  });

  it('refuses a key shorter than 16 bytes', () => {
    expect(() => new SecretBox(Buffer.from('short'))).toThrow('at least 16 bytes');
  });

  it('tells sealed secrets from other values', () => {
    expect(isSealed({ $sealed: 'v1.x' })).toBe(true);
    expect(isSealed({ $sealed: 'v1.x', other: 1 })).toBe(false);
    expect(isSealed('v1.x')).toBe(false);
    expect(isSealed(null)).toBe(false);
  });
});
