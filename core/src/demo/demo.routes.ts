import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';

/** The demo site's pages, in the repository (not compiled), found from source and from dist. */
const SITE = fileURLToPath(new URL('../../src/demo/site/', import.meta.url));
/** The browser SDK bundle built by `npm run build` (vite). */
const SDK_BUNDLE = fileURLToPath(new URL('../../../sdk/dist-browser/', import.meta.url));
const PLACEHOLDER = '<<WRITE_KEY>>';

/**
 * `/sdk/*` serves the browser SDK; `/demo/` a small site using it, so personalisation can be
 * seen working right after `npm start`. The pages get the demo write key put in.
 */
export function demoRoutes(writeKey: string | undefined): Router {
  const router = Router();
  router.use('/sdk', express.static(SDK_BUNDLE, { maxAge: '5m', fallthrough: false }));
  router.get(['/demo/', '/demo/:page.html'], async (request, response, next) => {
    // Express matches `/demo` here too; relative links in the pages need the slash.
    if (request.path === '/demo') return response.redirect(301, '/demo/');
    const page = String((request.params as { page?: string }).page ?? 'index');
    if (!/^[a-z0-9-]+$/.test(page)) return next();
    let html: string;
    try {
      html = await readFile(`${SITE}${page}.html`, 'utf8');
    } catch {
      return next();
    }
    response
      .type('html')
      .set('cache-control', 'no-store')
      .send(html.replaceAll(PLACEHOLDER, writeKey ?? ''));
  });
  router.use('/demo', express.static(SITE, { index: false }));
  return router;
}
