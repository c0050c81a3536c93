/**
 * The console's HTTP client: the same public API external callers use, authenticated by the
 * session cookie set at sign-in. The `x-requested-with` header is what lets the server accept
 * the cookie (a cross-site form cannot send it), so every call goes through here.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Body = unknown;

async function request<T>(
  method: string,
  path: string,
  body?: Body,
  init: RequestInit = {},
): Promise<T> {
  const headers: Record<string, string> = { 'x-requested-with': 'uspa-console' };
  let payload: BodyInit | undefined;
  if (body instanceof Blob || body instanceof ArrayBuffer || body instanceof Uint8Array) {
    headers['content-type'] = 'application/gzip';
    payload = body as BodyInit;
  } else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    ...init,
    headers: { ...headers, ...(init.headers as Record<string, string> | undefined) },
    ...(payload === undefined ? {} : { body: payload }),
  });
  const text = await response.text();
  const parsed: unknown = text ? safeJson(text) : undefined;
  if (!response.ok) {
    const problem = (parsed ?? {}) as { code?: string; detail?: string; title?: string };
    throw new ApiError(
      response.status,
      problem.code ?? `http_${response.status}`,
      problem.detail ?? problem.title ?? `${method} ${path} answered ${response.status}`,
      parsed,
    );
  }
  return parsed as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body?: Body) => request<T>('POST', path, body),
  put: <T>(path: string, body?: Body) => request<T>('PUT', path, body),
  del: <T = void>(path: string) => request<T>('DELETE', path),
};

/** Encodes a path segment (plugin names like `@acme/crm`, identifiers like `email:a@b.c`). */
export const segment = (value: string): string => encodeURIComponent(value);
