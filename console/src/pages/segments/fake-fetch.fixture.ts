import { vi } from 'vitest';

/** One request the page made, body parsed when it was JSON. */
export interface SeenRequest {
  method: string;
  path: string;
  body: unknown;
}

type Answer =
  | { status?: number; body?: unknown }
  | ((request: SeenRequest) => { status?: number; body?: unknown });

/**
 * Stands in for the USPA server in page tests: answers `'GET /v1/segments'`-style routes (path
 * with its query) and records every request. An unknown route answers 404 as the server does.
 *
 * @example
 * const server = fakeFetch({ 'GET /v1/segments': { body: { segments: [] } } });
 * // … render, click …
 * expect(server.requests.at(-1)).toMatchObject({ method: 'POST', path: '/v1/segments' });
 */
export function fakeFetch(routes: Record<string, Answer>) {
  const requests: SeenRequest[] = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const method = init.method ?? 'GET';
    const path = input instanceof Request ? input.url : input.toString();
    const raw = init.body;
    const body = typeof raw === 'string' ? (JSON.parse(raw) as unknown) : raw;
    const request = { method, path, body };
    requests.push(request);
    const route = routes[`${method} ${path}`];
    const answer = typeof route === 'function' ? route(request) : route;
    const status = answer?.status ?? (answer ? 200 : 404);
    const payload = answer
      ? answer.body
      : { code: 'not_found', detail: `No route for ${method} ${path}` };
    return new Response(payload === undefined ? null : JSON.stringify(payload), {
      status,
      headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' },
    });
  });
  vi.stubGlobal('fetch', fetch);
  return { requests, fetch };
}

/** A problem document as the server's error handler writes it. */
export function problem(
  status: number,
  code: string,
  detail: string,
  extra: Record<string, unknown> = {},
) {
  return {
    status,
    body: { type: `urn:uspa:problem:${code}`, title: code, status, code, detail, ...extra },
  };
}
