import type { PluginFetchInit } from '@uspa/sdk';
import { fetch, type Dispatcher, type Response } from 'undici';
import type { BridgeResponse } from '../sandbox/plugin-runtime.js';
import { parseHttpUrl } from '@uspa/sdk';

export const DEFAULT_FETCH_TIMEOUT_MS = 10_000;
/** No request of a plugin, whatever it asks, may hold a host socket longer. */
export const MAX_FETCH_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;
const MAX_REDIRECTS = 5;

/** What the host allows one plugin's requests. */
export interface FetchPolicy {
  /** Whether the URL's host is in the plugin's `permissions.network` (see `hostAllowed`). */
  allowed(url: URL): boolean;
  /** Default timeout when the plugin gives none; capped at {@link MAX_FETCH_TIMEOUT_MS}. */
  timeoutMs: number;
  maxResponseBytes: number;
  /**
   * The connection pool requests go through: one that reaches only public addresses by host name
   * (see `publicOnlyDispatcher`), or undefined where the operator allows private networks.
   */
  dispatcher?: Dispatcher;
}

/**
 * `ctx.fetch` on the host side. A URL whose host the plugin did not declare is refused before any
 * I/O, and so is every redirect hop to such a host: redirects are followed by hand
 * (`redirect: 'manual'`), each `location` checked like the first URL. Credentials are not
 * carried to another origin. The body is read in full up to `maxResponseBytes`, all within the
 * timeout.
 *
 * @example
 * const response = await pluginFetch('https://api.crm.example/v1', { method: 'GET' }, policy);
 */
export async function pluginFetch(
  url: string,
  init: PluginFetchInit | undefined,
  policy: FetchPolicy,
): Promise<BridgeResponse> {
  let target = allowedUrl(url, policy);
  let request = requestOf(init ?? {});
  const timeoutMs = Math.min(init?.timeoutMs ?? policy.timeoutMs, MAX_FETCH_TIMEOUT_MS);
  if (!(timeoutMs > 0)) throw new Error(`ctx.fetch: timeoutMs must be positive: ${timeoutMs}`);
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    for (let hop = 0; ; hop++) {
      const response = await fetch(target, {
        ...request,
        redirect: 'manual',
        signal,
        ...(policy.dispatcher ? { dispatcher: policy.dispatcher } : {}),
      });
      const location = response.headers.get('location');
      if (!isRedirect(response.status) || location === null) {
        return await readResponse(response, policy.maxResponseBytes, target);
      }
      await response.body?.cancel();
      if (hop === MAX_REDIRECTS) {
        throw new Error(`ctx.fetch to ${target.host}: more than ${MAX_REDIRECTS} redirects`);
      }
      const next = allowedUrl(new URL(location, target).href, policy, target);
      request = redirected(request, response.status, target, next);
      target = next;
    }
  } catch (error) {
    if (signal.aborted) {
      throw new Error(`ctx.fetch to ${target.host} timed out after ${timeoutMs} ms`);
    }
    if (error instanceof TypeError && error.cause instanceof Error) {
      // undici's "fetch failed" hides the reason (ECONNREFUSED, ENOTFOUND) in `cause`.
      const reason = (error.cause as NodeJS.ErrnoException).code ?? error.cause.message;
      throw new Error(`ctx.fetch to ${target.host} failed: ${reason}`);
    }
    throw error;
  }
}

function allowedUrl(url: string, policy: FetchPolicy, from?: URL): URL {
  const parsed = parseHttpUrl(url);
  const redirect = from === undefined ? '' : ` (a redirect from ${from.host})`;
  if (parsed === undefined) {
    throw new Error(
      `ctx.fetch refused ${JSON.stringify(url)}${redirect}: only http and https URLs`,
    );
  }
  if (!policy.allowed(parsed)) {
    throw new Error(
      `ctx.fetch refused ${parsed.hostname}${redirect}: the host is not in the plugin's permissions.network`,
    );
  }
  return parsed;
}

interface OutgoingRequest {
  method: string;
  headers: Record<string, string>;
  body?: string;
}

function requestOf(init: PluginFetchInit): OutgoingRequest {
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
  return init.body === undefined ? { method, headers } : { method, headers, body: init.body };
}

function isRedirect(status: number): boolean {
  return [301, 302, 303, 307, 308].includes(status);
}

/** The next hop's request, as browsers make it. */
function redirected(request: OutgoingRequest, status: number, from: URL, to: URL): OutgoingRequest {
  const headers = { ...request.headers };
  if (from.origin !== to.origin) {
    // A token for the CRM must not reach whatever host the CRM redirects to.
    delete headers.authorization;
    delete headers.cookie;
  }
  const toGet = status === 303 || ((status === 301 || status === 302) && request.method === 'POST');
  if (!toGet) return { ...request, headers };
  delete headers['content-type'];
  delete headers['content-length'];
  return { method: request.method === 'HEAD' ? 'HEAD' : 'GET', headers };
}

async function readResponse(
  response: Response,
  maxBytes: number,
  url: URL,
): Promise<BridgeResponse> {
  const tooLarge = () =>
    new Error(`ctx.fetch to ${url.host}: the response body is larger than ${maxBytes} bytes`);
  if (Number(response.headers.get('content-length') ?? 0) > maxBytes) {
    await response.body?.cancel();
    throw tooLarge();
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of (response.body ?? []) as AsyncIterable<Uint8Array>) {
    total += chunk.byteLength;
    // Throwing out of the loop cancels the stream: the rest is never read.
    if (total > maxBytes) throw tooLarge();
    chunks.push(chunk);
  }
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => (headers[name] = value));
  return { status: response.status, headers, body: Buffer.concat(chunks).toString('utf8') };
}
