import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import type { SealedSecret, SecretSealer } from './sealed-secret.js';

const VERSION = 'v1';

/**
 * Encrypts secrets before they are written to the log, which keeps every event forever: with
 * AES-256-GCM under a key derived (HKDF-SHA256) from the operator's secret, a fresh IV per value
 * and the key's id beside it, so a secret sealed under another key is told apart from a
 * damaged one.
 *
 * @example
 * const box = new SecretBox(secretBytes);
 * box.open(box.seal('hook-signing-secret')); // 'hook-signing-secret'
 */
export class SecretBox implements SecretSealer {
  readonly #key: Buffer;
  /** A short fingerprint of the key (not the key): names it in errors. */
  readonly keyId: string;

  constructor(secret: Uint8Array) {
    if (secret.length < 16) throw new Error('A secret key needs at least 16 bytes');
    this.#key = Buffer.from(hkdfSync('sha256', secret, '', 'uspa secrets v1', 32));
    this.keyId = createHmac('sha256', this.#key).update('key id').digest('hex').slice(0, 8);
  }

  seal(value: unknown): SealedSecret {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const ciphertext = Buffer.concat([
      cipher.update(JSON.stringify(value), 'utf8'),
      cipher.final(),
    ]);
    const parts = [iv, cipher.getAuthTag(), ciphertext].map((part) => part.toString('base64url'));
    return { $sealed: [VERSION, this.keyId, ...parts].join('.') };
  }

  open(sealed: SealedSecret): unknown {
    const [version, keyId, iv, tag, ciphertext] = sealed.$sealed.split('.');
    if (version !== VERSION || !iv || !tag || ciphertext === undefined) {
      throw new Error('the sealed secret is malformed');
    }
    if (keyId !== this.keyId) {
      throw new Error(
        `the secret was sealed with key ${keyId}, and this process has key ${this.keyId}`,
      );
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      const plain = Buffer.concat([
        decipher.update(Buffer.from(ciphertext, 'base64url')),
        decipher.final(),
      ]);
      return JSON.parse(plain.toString('utf8')) as unknown;
    } catch {
      throw new Error('the sealed secret is damaged');
    }
  }
}
