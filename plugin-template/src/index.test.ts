import { readFileSync } from 'node:fs';
import { aPageView, anIdentify, storedEventOf, testPlugin } from '@uspa/sdk/plugin-testing';
import { describe, expect, it } from 'vitest';
import emailDomainPlugin from './index.js';

const identify = (email: unknown) => anIdentify({ traits: { email, name: 'Ada Lovelace' } });

describe('email domain plugin: enrich', () => {
  const plugin = testPlugin(emailDomainPlugin);

  it('adds the company domain of an identify, keeping what other plugins added', async () => {
    const event = identify('ada@research.acme.co.uk');
    event.enrichment = { geo: { country: 'GB' } };
    const { events, errors } = await plugin.send(event);
    expect(errors).toEqual([]);
    expect(events[0]?.enrichment).toEqual({
      geo: { country: 'GB' },
      emailDomain: {
        domain: 'research.acme.co.uk',
        registrableDomain: 'acme.co.uk',
        freeMail: false,
        company: 'acme',
      },
    });
  });

  it('reads context.traits.email on other calls', async () => {
    const page = aPageView({ context: { traits: { email: 'kim@globex.com' } } });
    const { events } = await plugin.send(page);
    expect(events[0]?.enrichment.emailDomain).toMatchObject({ company: 'globex' });
  });

  it('marks free mail with no company', async () => {
    const { events } = await plugin.send(identify('ada.lovelace@gmail.com'));
    expect(events[0]?.enrichment.emailDomain).toEqual({
      domain: 'gmail.com',
      registrableDomain: 'gmail.com',
      freeMail: true,
      company: null,
    });
  });

  it('leaves events without a usable address as they were', async () => {
    const events = [identify(undefined), identify('not-an-email'), aPageView()];
    const report = await plugin.send(events);
    expect(report.events).toEqual(events);
    expect(report.errors).toEqual([]);
  });

  it('takes the operator’s lists of free mail and ignored domains', async () => {
    const configured = testPlugin(emailDomainPlugin).withConfig({
      freeMailDomains: ['acme.co.uk'],
      ignoreDomains: ['globex.com'],
    });
    const { events } = await configured.send([
      identify('ada@acme.co.uk'),
      identify('kim@eu.globex.com'),
      identify('max@gmail.com'),
    ]);
    expect(events.map((event) => event.enrichment.emailDomain)).toEqual([
      { domain: 'acme.co.uk', registrableDomain: 'acme.co.uk', freeMail: true, company: null },
      undefined,
      { domain: 'gmail.com', registrableDomain: 'gmail.com', freeMail: false, company: 'gmail' },
    ]);
  });

  it('refuses a config that is not lists of domains, naming the field', async () => {
    await expect(
      testPlugin(emailDomainPlugin).withConfig({ ignoreDomains: 'example.com' }).setUp(),
    ).rejects.toThrow('ignoreDomains must be array');
    await expect(
      testPlugin(emailDomainPlugin)
        .withConfig({ freeMail: ['gmail.com'] })
        .setUp(),
    ).rejects.toThrow('freeMail is not a known setting');
  });
});

describe('email domain plugin: onEvent', () => {
  it('counts identifies per company once per event, and skips free mail', async () => {
    const plugin = testPlugin(emailDomainPlugin).withStore({ 'identifies:acme.co.uk': 4 });
    const ada = storedEventOf(identify('ada@acme.co.uk'));
    const kim = storedEventOf(identify('kim@globex.com'));
    const max = storedEventOf(identify('max@gmail.com'));
    const first = await plugin.sendStored([ada, kim, max]);
    expect(first.errors).toEqual([]);
    expect(first.metrics).toEqual({ company_identified: 2 });
    expect(first.logs).toEqual([
      {
        level: 'info',
        message: 'first identify from a company',
        fields: { company: 'globex.com' },
      },
    ]);
    // A redelivery (the host delivers at least once) changes nothing.
    const again = await plugin.sendStored([ada]);
    expect(again.metrics).toEqual({});
    expect(again.store).toMatchObject({ 'identifies:acme.co.uk': 5, 'identifies:globex.com': 1 });
    expect(again.store).not.toHaveProperty('identifies:gmail.com');
  });

  it('receives only identifies, as its permissions say', async () => {
    const page = storedEventOf(aPageView({ context: { traits: { email: 'ada@acme.co.uk' } } }));
    const { ignored, store } = await testPlugin(emailDomainPlugin).sendStored(page);
    expect(ignored).toEqual([page.id]);
    expect(store).toEqual({});
  });
});

describe('the plugin definition', () => {
  it('has the name and version of package.json, as USPA requires', () => {
    const pack = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      name: string;
      version: string;
    };
    expect({ name: emailDomainPlugin.name, version: emailDomainPlugin.version }).toEqual({
      name: pack.name,
      version: pack.version,
    });
  });
});
