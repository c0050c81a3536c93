import { existsSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router, type Request } from 'express';

/**
 * Where `npm run build -w console` puts the console: `console/dist` of the repository, found
 * from this module in `core/src/console/` and in `core/dist/console/` alike.
 */
export const DEFAULT_CONSOLE_DIST = fileURLToPath(
  new URL('../../../console/dist/', import.meta.url),
);

/** Paths that belong to the API and the other sites, never to the console's pages. */
const OTHER_PREFIXES = ['/v1', '/sdk', '/demo', '/socket.io', '/health', '/ready', '/metrics'];

/** Vite names the files under `assets/` by their content hash: a new build gets new names. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * Serves the built console (a single-page app) at `/`, or returns undefined when `distDir` holds
 * no `index.html`. Its files are served to anyone (they hold no data: the API behind them asks for
 * a key). A GET for any other path outside the API that asks for HTML (a browser navigating, a
 * reload on `/profiles/…`) gets `index.html`, so the console's own router takes over; API clients,
 * whose `Accept` does not name `text/html`, still get the JSON answers, `/` included.
 *
 * @example
 * const site = consoleSite(config.console.distDir ?? DEFAULT_CONSOLE_DIST);
 * if (site) app.use(site);
 */
export function consoleSite(distDir: string): Router | undefined {
  const root = resolve(distDir);
  const index = resolve(root, 'index.html');
  if (!existsSync(index)) return undefined;
  const files = express.static(root, {
    index: false,
    redirect: false,
    cacheControl: false,
    setHeaders: (response, path) => {
      const cached = path.startsWith(`${root}${sep}assets${sep}`);
      response.setHeader('Cache-Control', cached ? IMMUTABLE : 'no-cache');
      if (path === index) setPageHeaders(response);
    },
  });
  const router = Router();
  router.use((request, response, next) => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || belongsElsewhere(request.path)) {
      return next();
    }
    files(request, response, (error?: unknown) => {
      if (error) return next(error);
      if (!asksForHtml(request)) return next();
      setPageHeaders(response);
      response.sendFile(
        index,
        { cacheControl: false, headers: { 'Cache-Control': 'no-cache' } },
        (failure) => {
          if (failure) next(failure);
        },
      );
    });
  });
  return router;
}

function belongsElsewhere(path: string): boolean {
  return OTHER_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

function asksForHtml(request: Request): boolean {
  return (request.headers.accept ?? '').includes('text/html');
}

/** The console acts with the operator's session: no other site may frame it (clickjacking). */
function setPageHeaders(response: { setHeader(name: string, value: string): unknown }): void {
  response.setHeader('X-Frame-Options', 'DENY');
  response.setHeader('Content-Security-Policy', "frame-ancestors 'none'");
}
