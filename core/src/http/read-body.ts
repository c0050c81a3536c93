import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import { gunzip, inflate } from 'node:zlib';
import { UspaError } from '../errors/index.js';

const decoder = new TextDecoder('utf-8', { fatal: true });
const DEFAULT_TYPES = ['application/json', 'text/plain', ''];
const inflaters = { gzip: promisify(gunzip), deflate: promisify(inflate) };

export interface ReadBodyOptions {
  /** Content types read as JSON; application/json and text/plain (sendBeacon) by default. */
  types?: readonly string[];
}

/**
 * Reads a JSON request body: `application/json`, or `text/plain` as browsers' sendBeacon sends it.
 * Refuses, before parsing, a body over `limit` bytes, another content type, invalid UTF-8 and
 * malformed JSON, each with its own problem code.
 */
export async function readJsonBody(
  request: IncomingMessage,
  limit: number,
  options: ReadBodyOptions = {},
): Promise<unknown> {
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (!(options.types ?? DEFAULT_TYPES).includes(type)) {
    throw new UspaError(
      'unsupported_media_type',
      415,
      `Content-Type ${type} is not accepted; send application/json`,
    );
  }
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > limit) throw tooLarge(limit);
  const raw = await collectBody(request, limit);
  const body = await decompress(request, raw, limit);
  let text: string;
  try {
    text = decoder.decode(body);
  } catch {
    throw new UspaError('invalid_utf8', 400, 'The body is not valid UTF-8');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UspaError(
      'malformed_json',
      400,
      `The body is not valid JSON: ${(error as Error).message}`,
    );
  }
}

/**
 * Reads a binary request body (an uploaded package) of one of `types`, refusing one over `limit`
 * bytes before it is all in memory.
 */
export async function readRawBody(
  request: IncomingMessage,
  limit: number,
  types: readonly string[],
): Promise<Buffer> {
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (!types.includes(type)) {
    throw new UspaError(
      'unsupported_media_type',
      415,
      `Content-Type ${type || '(none)'} is not accepted; send ${types.join(' or ')}`,
    );
  }
  if (Number(request.headers['content-length'] ?? 0) > limit) throw tooLarge(limit);
  return collectBody(request, limit);
}

/** Reads the body with plain stream events: cheaper than an async iterator per request. */
function collectBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        request.off('data', onData);
        request.resume();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    request.on('data', onData);
    request.once('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    request.once('error', reject);
    request.once('aborted', () =>
      reject(new UspaError('request_aborted', 400, 'The request was aborted')),
    );
  });
}

/** gzip and deflate bodies (as some tracking libraries send) are inflated, within the same limit. */
async function decompress(request: IncomingMessage, body: Buffer, limit: number): Promise<Buffer> {
  const encoding = (request.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || body.length === 0) return body;
  const inflater = inflaters[encoding as keyof typeof inflaters];
  if (!inflater) {
    throw new UspaError(
      'unsupported_encoding',
      415,
      `Content-Encoding ${encoding} is not accepted`,
    );
  }
  try {
    return await inflater(body, { maxOutputLength: limit });
  } catch (error) {
    if (error instanceof RangeError) throw tooLarge(limit);
    throw new UspaError('invalid_encoding', 400, `The body is not valid ${encoding} data`);
  }
}

function tooLarge(limit: number): UspaError {
  return new UspaError('payload_too_large', 413, `The body is larger than ${limit} bytes`);
}
