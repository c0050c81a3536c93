import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { ServerResponse } from 'node:http';
import { UspaError } from '../errors/index.js';
import type { Logger } from '../ports/logger.port.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** An RFC 9457 problem document; `code` is the stable machine-readable reason. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  [extension: string]: unknown;
}

export function sendProblem(response: ServerResponse, error: UspaError): void {
  const problem: Problem = {
    ...error.details,
    type: `urn:uspa:problem:${error.code}`,
    title: titleOf(error.code),
    status: error.status,
    code: error.code,
    detail: error.message,
  };
  const body = JSON.stringify(problem);
  response.statusCode = error.status;
  response.setHeader('Content-Type', `${PROBLEM_CONTENT_TYPE}; charset=utf-8`);
  response.setHeader('Content-Length', Buffer.byteLength(body));
  response.end(body);
}

/** Unknown routes answer with a problem document too, never with an HTML page. */
export const notFoundHandler: RequestHandler = (request, response) => {
  sendProblem(
    response,
    new UspaError('not_found', 404, `No route for ${request.method} ${request.path}`),
  );
};

/**
 * The one place where errors become HTTP responses. Errors of the body parser carry their own
 * status (malformed JSON, too large); anything unexpected is logged and answered with a bare 500,
 * never with a stack trace.
 */
export function problemDetailsHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, request, response, next) => {
    if (response.headersSent) {
      next(error);
      return;
    }
    const known = toUspaError(error);
    if (known.status >= 500) {
      logger.error({ err: error, method: request.method, path: request.path }, 'request failed');
    }
    sendProblem(response, known);
  };
}

function toUspaError(error: unknown): UspaError {
  if (error instanceof UspaError) return error;
  const parserError = error as {
    type?: string;
    status?: number;
    expose?: boolean;
    message?: string;
  };
  if (typeof parserError.status === 'number' && parserError.expose && parserError.status < 500) {
    const code = PARSER_CODES[parserError.type ?? ''] ?? 'bad_request';
    return new UspaError(code, parserError.status, parserError.message ?? 'Bad request');
  }
  return new UspaError('internal_error', 500, 'An unexpected error occurred');
}

const PARSER_CODES: Record<string, string> = {
  'entity.parse.failed': 'malformed_json',
  'entity.too.large': 'payload_too_large',
  'encoding.unsupported': 'unsupported_encoding',
  'charset.unsupported': 'unsupported_charset',
  'request.aborted': 'request_aborted',
};

function titleOf(code: string): string {
  const words = code.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
