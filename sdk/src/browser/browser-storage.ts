/**
 * First-party cookie and localStorage access that never throws: storage can be disabled, full or
 * blocked (private modes, sandboxed frames), and tracking must not break the page because of it.
 */

const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

/**
 * The value of a first-party cookie.
 *
 * @example
 * readCookie('uspa_aid'); // '0b7c…' or undefined
 */
export function readCookie(name: string): string | undefined {
  for (const pair of document.cookie.split('; ')) {
    const at = pair.indexOf('=');
    if (pair.slice(0, at) === name) return decodeURIComponent(pair.slice(at + 1));
  }
  return undefined;
}

/**
 * Sets a first-party cookie for the whole site (path=/, SameSite=Lax, Secure on https).
 *
 * @example
 * writeCookie('uspa_aid', anonymousId); // kept one year
 */
export function writeCookie(name: string, value: string, maxAgeSeconds = ONE_YEAR_SECONDS): void {
  const secure = location.protocol === 'https:' ? '; Secure' : '';
  document.cookie = `${name}=${encodeURIComponent(value)}; Max-Age=${maxAgeSeconds}; Path=/; SameSite=Lax${secure}`;
}

/**
 * Deletes a cookie set by {@link writeCookie}.
 *
 * @example
 * removeCookie('uspa_aid');
 */
export function removeCookie(name: string): void {
  writeCookie(name, '', 0);
}

/**
 * A localStorage item, or undefined when absent or when storage is unavailable.
 *
 * @example
 * readItem('uspa_uid');
 */
export function readItem(key: string): string | undefined {
  try {
    return localStorage.getItem(key) ?? undefined;
  } catch {
    return undefined;
  }
}

/**
 * Writes a localStorage item; `undefined` removes it. Failures (quota, disabled storage) are
 * ignored: the tracker keeps working from memory.
 *
 * @example
 * writeItem('uspa_uid', 'user-42');
 */
export function writeItem(key: string, value: string | undefined): void {
  try {
    if (value === undefined) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // Storage full or disabled.
  }
}

/**
 * A JSON value from localStorage, or `fallback` when absent or unreadable.
 *
 * @example
 * const traits = readJson<Record<string, unknown>>('uspa_traits', {});
 */
export function readJson<T>(key: string, fallback: T): T {
  try {
    const text = readItem(key);
    return text === undefined ? fallback : (JSON.parse(text) as T);
  } catch {
    return fallback;
  }
}

/**
 * A random UUID v4. `crypto.randomUUID` only exists on secure origins, so plain-http sites get
 * one built from `crypto.getRandomValues`.
 *
 * @example
 * uuid(); // '3b241101-e2bb-4255-8caf-4136c566a962'
 */
export function uuid(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
