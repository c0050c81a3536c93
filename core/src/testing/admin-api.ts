import type { TestServer } from './uspa-test-server.js';

/** A JSON answer of the API, read loosely: tests check the fields they care about. */
export interface ApiAnswer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are checked field by field
  body: Record<string, any>;
}

/**
 * Calls a test server's API with its bootstrap admin key, sending `body` as JSON.
 *
 * @example
 * const api = adminApi(uspa);
 * const { status, body } = await api('PUT', '/v1/admin/plugins/webhook/config', { url });
 */
export function adminApi(uspa: Pick<TestServer, 'base' | 'adminAuth'>) {
  return async (method: string, path: string, body?: unknown): Promise<ApiAnswer> => {
    const response = await fetch(`${uspa.base}${path}`, {
      method,
      headers: {
        authorization: uspa.adminAuth,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as ApiAnswer['body']) : {} };
  };
}
