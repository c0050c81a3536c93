/** Sign-in and API calls as the console makes them, for the console's integration tests. */
import { expect } from 'vitest';
import type { TestServer } from '../testing/uspa-test-server.js';

export interface SignIn {
  status: number;
  body: Record<string, unknown>;
  /** The whole `Set-Cookie` header, null when none was set. */
  setCookie: string | null;
  /** `uspa_session=<token>`, ready for a `Cookie` header; null when none was set. */
  cookie: string | null;
}

export async function signIn(uspa: TestServer, key: unknown): Promise<SignIn> {
  const response = await fetch(`${uspa.base}/v1/console/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-requested-with': 'uspa-console' },
    body: JSON.stringify({ key }),
  });
  const setCookie = response.headers.get('set-cookie');
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
    setCookie,
    cookie: setCookie?.split(';')[0] ?? null,
  };
}

/** A GET the way the console sends it: the cookie and, unless told not to, its header. */
export function asConsole(
  uspa: TestServer,
  path: string,
  cookie: string,
  options: { header?: boolean; method?: string } = {},
): Promise<Response> {
  return fetch(`${uspa.base}${path}`, {
    method: options.method ?? 'GET',
    headers: {
      cookie,
      ...(options.header !== false && { 'x-requested-with': 'uspa-console' }),
    },
  });
}

/** Creates a key through the API, as an operator would; returns its id and secret. */
export async function createKey(
  uspa: TestServer,
  body: Record<string, unknown>,
): Promise<{ id: string; key: string }> {
  const response = await fetch(`${uspa.base}/v1/admin/keys`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: uspa.adminAuth },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; key: string };
}

export async function signedInCookie(uspa: TestServer, key: string): Promise<string> {
  const { status, cookie } = await signIn(uspa, key);
  expect(status).toBe(200);
  return cookie!;
}
