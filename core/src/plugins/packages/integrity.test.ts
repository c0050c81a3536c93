import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sri, verifyIntegrity } from './integrity.js';

const bytes = Buffer.from('the tarball');
const other = Buffer.from('another tarball');

describe('verifyIntegrity', () => {
  it('accepts the strongest algorithm of the SRI string and ignores weaker ones', () => {
    const integrity = `${sri(other, 'sha1')} ${sri(bytes)}`;
    expect(() => verifyIntegrity(bytes, { integrity }, 'geo@1.0.0')).not.toThrow();
  });

  it('refuses when the strongest algorithm does not match, even if a weaker one does', () => {
    const integrity = `${sri(bytes, 'sha1')} ${sri(other)}`;
    expect(() => verifyIntegrity(bytes, { integrity }, 'geo@1.0.0')).toThrow(
      expect.objectContaining({ code: 'plugin_integrity_mismatch', status: 422 }),
    );
  });

  it('uses the shasum only without an integrity', () => {
    const shasum = createHash('sha1').update(bytes).digest('hex');
    expect(() => verifyIntegrity(bytes, { shasum }, 'geo@1.0.0')).not.toThrow();
    expect(() => verifyIntegrity(bytes, { integrity: sri(other), shasum }, 'geo@1.0.0')).toThrow(
      /does not match the registry's integrity/,
    );
  });

  it('refuses an unknown algorithm as no digest at all', () => {
    expect(() => verifyIntegrity(bytes, { integrity: 'md5-abc' }, 'geo@1.0.0')).toThrow(
      /no usable integrity or shasum for geo@1\.0\.0/,
    );
  });
});
