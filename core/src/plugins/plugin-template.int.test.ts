/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-member-access -- API answers are read as loose JSON and checked with toMatchObject */
/**
 * The author's path end to end: the plugin template is built and packed with its own script,
 * and the tarball is uploaded to a running USPA, configured, enabled — and enriches identifies.
 */
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../testing/eventually.js';
import { startTestServer, type TestServer } from '../testing/uspa-test-server.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const templateDist = join(root, 'plugin-template', 'dist');
const NAME = 'uspa-plugin-email-domain';

describe('the plugin template, packed and installed', () => {
  let uspa: TestServer;
  let tarball: Buffer;

  beforeAll(async () => {
    await promisify(execFile)('npm', ['run', 'pack', '-w', 'plugin-template'], { cwd: root });
    const file = readdirSync(templateDist).find((entry) => entry.endsWith('.tgz'));
    if (!file) throw new Error(`npm run pack left no tarball in ${templateDist}`);
    tarball = readFileSync(join(templateDist, file));
    uspa = await startTestServer();
  }, 120_000);
  afterAll(async () => {
    await uspa?.stop();
  });

  const admin = (
    method: string,
    path: string,
    body?: RequestInit['body'],
    type = 'application/json',
  ) =>
    fetch(`${uspa.base}${path}`, {
      method,
      headers: { authorization: uspa.adminAuth, 'content-type': type },
      ...(body === undefined ? {} : { body }),
    });

  it('uploads, configures, enables and enriches', async () => {
    const uploaded = await admin(
      'POST',
      '/v1/admin/plugins/upload',
      new Uint8Array(tarball),
      'application/gzip',
    );
    const installed = (await uploaded.json()) as Record<string, any>;
    expect(uploaded.status, JSON.stringify(installed)).toBe(201);
    expect(installed).toMatchObject({
      name: NAME,
      version: '1.0.0',
      builtIn: false,
      origin: { kind: 'tarball' },
    });
    expect(installed.integrity).toMatch(/^sha512-/);
    expect(installed.hooks).toEqual(expect.arrayContaining(['enrich', 'onEvent']));

    const configured = await admin(
      'PUT',
      `/v1/admin/plugins/${NAME}/config`,
      JSON.stringify({ ignoreDomains: ['example.org'] }),
    );
    expect(configured.status, await configured.clone().text()).toBe(200);
    const enabled = (await (
      await admin('POST', `/v1/admin/plugins/${NAME}/enable`)
    ).json()) as Record<string, any>;
    expect(enabled.status).toBe('running');

    const identify = await fetch(`${uspa.base}/v1/identify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: uspa.writeAuth },
      body: JSON.stringify({ userId: 'grace', traits: { email: 'grace@research.acme.co.uk' } }),
    });
    expect(identify.status).toBe(200);
    const [stored] = await uspa.store.readAll({ filter: { eventTypes: ['Identified'] } });
    expect(
      (stored!.data as { enrichment: Record<string, unknown> }).enrichment.emailDomain,
    ).toEqual({
      domain: 'research.acme.co.uk',
      registrableDomain: 'acme.co.uk',
      freeMail: false,
      company: 'acme',
    });
    // Its onEvent consumer counted the identify.
    const plugin = await eventually(
      async () =>
        (await (await admin('GET', `/v1/admin/plugins/${NAME}`)).json()) as Record<string, any>,
      (body) => body.metrics.custom.company_identified !== undefined,
    );
    // One identify from one company: counted once.
    expect(plugin.metrics.custom).toEqual({ company_identified: 1 });
  });
});
