import type { PluginFetch, PluginFetchInit, PluginFetchResponse } from '../plugin/index.js';
import { checkNetworkAccess } from './network-permission.js';

/**
 * One request a plugin's `ctx.fetch` made (a redirect hop is one too), refused ones included.
 *
 * @example
 * { url: 'https://api.crm.example/v1/contacts', method: 'POST',
 *   headers: { 'content-type': 'application/json' }, body: '{"email":"ada@acme.co.uk"}' }
 */
export interface RecordedFetch {
  url: string;
  method: string;
  /** Names in lower case. */
  headers: Record<string, string>;
  body?: string;
}

/**
 * What a fake server answers. A `body` that is not a string is sent as JSON.
 *
 * @example
 * { status: 429, body: { error: 'slow down' }, headers: { 'retry-after': '2' } }
 */
export interface FetchAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * Answers the plugin's allowed requests in place of the network. Throw to act out a network
 * failure: the plugin's `fetch` then rejects, as the host's does, with `ctx.fetch to <host>
 * failed: <your message>`.
 *
 * @example
 * const responder: FetchResponder = ({ url }) =>
 *   url.endsWith('/contacts') ? { status: 201, body: { id: 'c-1' } } : { status: 404 };
 */
export type FetchResponder = (request: RecordedFetch) => FetchAnswer | Promise<FetchAnswer>;

export interface HarnessFetchOptions {
  pluginName: string;
  network: readonly string[];
  config: Readonly<Record<string, unknown>>;
  /** Without one, allowed requests go over the real network. */
  responder?: FetchResponder;
  record(request: RecordedFetch): void;
}

// The host's limits (core/src/plugins/context/plugin-fetch.ts).
const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_TIMEOUT_MS = 30_000;
const MAX_RESPONSE_BYTES = 1024 * 1024;
const MAX_REDIRECTS = 5;

/**
 * The plugin's `ctx.fetch` in the harness, with the host's rules: every request (each redirect
 * hop included) is recorded and checked against `permissions.network` before it leaves; allowed
 * ones go to the responder or the network.
 */
export function harnessFetch(options: HarnessFetchOptions): PluginFetch {
  return async (url, init = {}) => {
    let request = outgoing(url, init);
    const timeoutMs = Math.min(init.timeoutMs ?? DEFAULT_TIMEOUT_MS, MAX_TIMEOUT_MS);
    if (!(timeoutMs > 0)) throw new Error(`ctx.fetch: timeoutMs must be positive: ${timeoutMs}`);
    const signal = AbortSignal.timeout(timeoutMs);
    for (let hop = 0; ; hop++) {
      options.record(structuredClone(request));
      const access = checkNetworkAccess(request.url, options.network, options.config);
      if (!access.allowed) {
        throw new Error(hop === 0 ? access.reason : `${access.reason} (a redirect)`);
      }
      const answer = await answerOf(request, access.url, options.responder, timeoutMs, signal);
      const response = pluginResponse(answer, access.url);
      const location = response.headers.location;
      if (![301, 302, 303, 307, 308].includes(answer.status) || location === undefined) {
        return response;
      }
      if (hop === MAX_REDIRECTS) {
        throw new Error(`ctx.fetch to ${access.url.host}: more than ${MAX_REDIRECTS} redirects`);
      }
      request = redirected(request, answer.status, access.url, new URL(location, access.url));
    }
  };
}

/** The request as the host sends it: method upper case, header names lower case, a string body. */
function outgoing(url: string, init: PluginFetchInit): RecordedFetch {
  const method = (init.method ?? 'GET').toUpperCase();
  if (!/^[A-Z]+$/.test(method)) throw new Error(`ctx.fetch: not an HTTP method: ${init.method}`);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(init.headers ?? {})) {
    if (typeof value !== 'string') throw new Error(`ctx.fetch: header ${name} must be a string`);
    headers[name.toLowerCase()] = value;
  }
  if (init.body !== undefined && typeof init.body !== 'string') {
    throw new Error('ctx.fetch: the body must be a string (JSON.stringify objects)');
  }
  return { url, method, headers, ...(init.body !== undefined && { body: init.body }) };
}

async function answerOf(
  request: RecordedFetch,
  url: URL,
  responder: FetchResponder | undefined,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<FetchAnswer> {
  try {
    if (responder) return await responder(structuredClone(request));
    const response = await fetch(url, {
      method: request.method,
      headers: request.headers,
      ...(request.body !== undefined && { body: request.body }),
      redirect: 'manual',
      signal,
    });
    return {
      status: response.status,
      headers: Object.fromEntries(response.headers),
      body: await response.text(),
    };
  } catch (error) {
    if (signal.aborted) throw new Error(`ctx.fetch to ${url.host} timed out after ${timeoutMs} ms`);
    // undici's "fetch failed" keeps the reason (ECONNREFUSED, ENOTFOUND) in `cause`.
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    const reason =
      cause instanceof Error ? ((cause as NodeJS.ErrnoException).code ?? cause.message) : cause;
    throw new Error(`ctx.fetch to ${url.host} failed: ${String(reason)}`);
  }
}

/** The next hop's request, as browsers (and the host) make it. */
function redirected(request: RecordedFetch, status: number, from: URL, to: URL): RecordedFetch {
  const headers = { ...request.headers };
  if (from.origin !== to.origin) {
    // A token for one host must not reach whatever host it redirects to.
    delete headers.authorization;
    delete headers.cookie;
  }
  const toGet = status === 303 || ((status === 301 || status === 302) && request.method === 'POST');
  if (!toGet) return { ...request, url: to.href, headers };
  delete headers['content-type'];
  delete headers['content-length'];
  return { url: to.href, method: request.method === 'HEAD' ? 'HEAD' : 'GET', headers };
}

function pluginResponse(answer: FetchAnswer, url: URL): PluginFetchResponse {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(answer.headers ?? {})) {
    headers[name.toLowerCase()] = value;
  }
  let body = '';
  if (typeof answer.body === 'string') body = answer.body;
  else if (answer.body !== undefined) {
    body = JSON.stringify(answer.body);
    headers['content-type'] ??= 'application/json';
  }
  if (Buffer.byteLength(body) > MAX_RESPONSE_BYTES) {
    throw new Error(
      `ctx.fetch to ${url.host}: the response body is larger than ${MAX_RESPONSE_BYTES} bytes`,
    );
  }
  return {
    status: answer.status,
    ok: answer.status >= 200 && answer.status <= 299,
    headers,
    text: async () => body,
    json: async () => JSON.parse(body) as unknown,
  };
}
