import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../testing/uspa-test-server.js';

const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const INDEX =
  '<!doctype html><title>USPA console</title><script src="/assets/app-3f9a1c.js"></script>';

let dist: string;
let uspa: TestServer;

beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'uspa-console-dist-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), INDEX);
  writeFileSync(join(dist, 'assets', 'app-3f9a1c.js'), 'console.log("console");');
  writeFileSync(join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  uspa = await startTestServer({ USPA_CONSOLE_DIST_DIR: dist });
});

afterAll(async () => {
  await uspa.stop();
  rmSync(dist, { recursive: true, force: true });
});

const get = (path: string, accept?: string, server = uspa) =>
  fetch(`${server.base}${path}`, accept === undefined ? {} : { headers: { accept } });

describe('the console at /', () => {
  it('serves index.html to a browser, uncached and not to be framed', async () => {
    const response = await get('/', BROWSER);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(await response.text()).toBe(INDEX);
  });

  it('serves index.html for the console’s own paths, so a reload stays in the console', async () => {
    for (const path of ['/profiles/user_id%3A42', '/segments', '/plugins/geo/logs']) {
      const response = await get(path, BROWSER);
      expect(response.status, path).toBe(200);
      expect(await response.text(), path).toBe(INDEX);
    }
  });

  it('serves hashed assets for a year and other files uncached', async () => {
    const asset = await get('/assets/app-3f9a1c.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('javascript');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const icon = await get('/favicon.svg');
    expect(icon.status).toBe(200);
    expect(icon.headers.get('cache-control')).toBe('no-cache');
  });

  it('leaves the API, health and unknown non-HTML requests to the server, / included', async () => {
    for (const accept of [undefined, '*/*', 'application/json']) {
      const root = await get('/', accept);
      expect(root.status).toBe(200);
      expect(await root.json()).toMatchObject({ name: 'USPA', links: { health: '/health' } });
    }
    const api = await get('/v1/segments', BROWSER);
    expect(api.status).toBe(401);
    expect(api.headers.get('content-type')).toContain('application/problem+json');
    expect((await get('/health', BROWSER)).headers.get('content-type')).toContain(
      'application/json',
    );
    expect((await get('/demo/', BROWSER)).status).toBe(404);
    const missingAsset = await get('/assets/gone-000000.js', '*/*');
    expect(missingAsset.status).toBe(404);
    expect(missingAsset.headers.get('content-type')).toContain('application/problem+json');
    const posted = await fetch(`${uspa.base}/`, { method: 'POST', headers: { accept: BROWSER } });
    expect(posted.status).toBe(404);
  });

  it('answers JSON at / when the console is not built', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'uspa-console-unbuilt-'));
    const unbuilt = await startTestServer({ USPA_CONSOLE_DIST_DIR: empty });
    try {
      const root = await get('/', BROWSER, unbuilt);
      expect(root.status).toBe(200);
      expect(await root.json()).toMatchObject({ name: 'USPA' });
    } finally {
      await unbuilt.stop();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
