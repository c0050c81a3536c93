import { createHash } from 'node:crypto';
import { integrityMismatch } from './package-errors.js';

/** SRI algorithms npm uses, strongest first. */
const ALGORITHMS = ['sha512', 'sha384', 'sha256', 'sha1'] as const;
type Algorithm = (typeof ALGORITHMS)[number];

/**
 * Subresource-integrity string of some bytes, as npm writes `dist.integrity`.
 *
 * @example
 * sri(tarball); // 'sha512-…'
 */
export function sri(bytes: Buffer | string, algorithm: Algorithm = 'sha512'): string {
  return `${algorithm}-${createHash(algorithm).update(bytes).digest('base64')}`;
}

/** What a registry says a tarball must hash to (the `dist` of a version). */
export interface ExpectedDigest {
  integrity?: unknown;
  shasum?: unknown;
}

/**
 * Checks a downloaded tarball against the registry's `dist.integrity` (its strongest algorithm,
 * as the SRI spec says), or `dist.shasum` (hex SHA-1) only when no integrity is given. Throws
 * `plugin_integrity_mismatch` on a mismatch, and when the registry gives no digest at all:
 * a tarball nobody can check is not installed.
 */
export function verifyIntegrity(bytes: Buffer, expected: ExpectedDigest, what: string): void {
  const hashes = typeof expected.integrity === 'string' ? parseSri(expected.integrity) : [];
  if (hashes.length > 0) {
    const strongest = ALGORITHMS.find((algorithm) => hashes.some((h) => h.algorithm === algorithm));
    const wanted = hashes.filter((hash) => hash.algorithm === strongest).map((hash) => hash.sri);
    const actual = sri(bytes, strongest);
    if (!wanted.includes(actual)) {
      throw integrityMismatch(
        `The tarball of ${what} does not match the registry's integrity: expected ${wanted[0]}, got ${actual}`,
        { expected: wanted, actual },
      );
    }
    return;
  }
  if (typeof expected.shasum === 'string' && /^[0-9a-f]{40}$/i.test(expected.shasum)) {
    const actual = createHash('sha1').update(bytes).digest('hex');
    if (actual !== expected.shasum.toLowerCase()) {
      throw integrityMismatch(
        `The tarball of ${what} does not match the registry's shasum: expected ${expected.shasum}, got ${actual}`,
        { expected: expected.shasum, actual },
      );
    }
    return;
  }
  throw integrityMismatch(`The registry gives no usable integrity or shasum for ${what}`);
}

/** The hashes of an SRI string we can compute; options (`?…`) are ignored as the spec says. */
function parseSri(integrity: string): { algorithm: Algorithm; sri: string }[] {
  return integrity
    .trim()
    .split(/\s+/)
    .map((token) => token.split('?')[0] ?? '')
    .flatMap((token) => {
      const algorithm = ALGORITHMS.find((name) => token.startsWith(`${name}-`));
      return algorithm === undefined ? [] : [{ algorithm, sri: token }];
    });
}
