import { UspaError } from '../../errors/index.js';
import { registryUnreachable } from './package-errors.js';

/** One registry request may take this long, headers and body. */
const REQUEST_TIMEOUT_MS = 30_000;

export interface RegistryResponse {
  status: number;
  body: Buffer;
}

/**
 * GETs a registry URL and reads the body up to `maxBytes`. Network failures and timeouts become
 * `plugin_registry_unreachable` (502, 504); the caller's abort rejects with its own reason.
 * `tooLarge` builds the error for a body over the limit (a tarball is the user's problem, a
 * packument the registry's).
 */
export async function registryGet(
  url: string,
  options: {
    accept: string;
    maxBytes: number;
    tooLarge: () => Error;
    signal?: AbortSignal;
  },
): Promise<RegistryResponse> {
  const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const host = new URL(url).host;
  try {
    const response = await fetch(url, { headers: { accept: options.accept }, signal });
    if (!response.ok) {
      await response.body?.cancel();
      return { status: response.status, body: Buffer.alloc(0) };
    }
    const declared = Number(response.headers.get('content-length') ?? '0');
    if (declared > options.maxBytes) {
      await response.body?.cancel();
      throw options.tooLarge();
    }
    return { status: response.status, body: await readCapped(response, options) };
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (timeout.aborted) {
      throw registryUnreachable(
        `The npm registry at ${host} did not answer within ${REQUEST_TIMEOUT_MS / 1000} s`,
        504,
        error,
      );
    }
    if (error instanceof UspaError) throw error;
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code ?? cause?.message ?? (error as Error).message;
    throw registryUnreachable(`Cannot reach the npm registry at ${host}: ${reason}`, 502, error);
  }
}

async function readCapped(
  response: Response,
  options: { maxBytes: number; tooLarge: () => Error },
): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (!response.body) return Buffer.alloc(0);
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    total += chunk.byteLength;
    if (total > options.maxBytes) {
      // Leaving the loop early cancels the stream, so the rest is never downloaded.
      throw options.tooLarge();
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
