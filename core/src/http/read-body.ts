import type { Request } from 'express';
import { UspaError } from '../errors/index.js';

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a JSON request body: `application/json`, or `text/plain` as browsers' sendBeacon sends it.
 * Refuses, before parsing, a body over `limit` bytes, another content type, invalid UTF-8 and
 * malformed JSON, each with its own problem code.
 */
export async function readJsonBody(request: Request, limit: number): Promise<unknown> {
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json' && type !== 'text/plain' && type !== '') {
    throw new UspaError(
      'unsupported_media_type',
      415,
      `Content-Type ${type} is not accepted; send application/json`,
    );
  }
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk);
  }
  let text: string;
  try {
    text = decoder.decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
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

function tooLarge(limit: number): UspaError {
  return new UspaError('payload_too_large', 413, `The body is larger than ${limit} bytes`);
}
