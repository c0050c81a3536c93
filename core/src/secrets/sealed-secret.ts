/** A secret as stored: its JSON value encrypted (see `SecretBox`). */
export interface SealedSecret {
  /** `v1.<key id>.<iv>.<tag>.<ciphertext>`, base64url parts. */
  $sealed: string;
}

/** Seals and opens secrets. */
export interface SecretSealer {
  seal(value: unknown): SealedSecret;
  /** @throws {Error} naming the key it was sealed with when this key cannot open it. */
  open(sealed: SealedSecret): unknown;
}

/** Whether a stored value is a sealed secret. */
export function isSealed(value: unknown): value is SealedSecret {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length === 1 &&
    typeof (value as { $sealed?: unknown }).$sealed === 'string'
  );
}
