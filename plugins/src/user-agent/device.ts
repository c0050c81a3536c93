import Bowser from 'bowser';
import { isbot } from 'isbot';

export type DeviceType =
  'desktop' | 'mobile' | 'tablet' | 'tv' | 'console' | 'wearable' | 'bot' | 'unknown';

/** What the user agent says about the visitor's device. Written to `enrichment.device`. */
export interface Device {
  browser: { name?: string; version?: string };
  os: { name?: string; version?: string };
  deviceType: DeviceType;
  isBot: boolean;
}

/** The part of `navigator.userAgentData` (User-Agent Client Hints) that is used. */
export interface ClientHints {
  brands?: { brand: string; version: string }[];
  fullVersionList?: { brand: string; version: string }[];
  mobile?: boolean;
  platform?: string;
  platformVersion?: string;
}

// Bowser has no console or wearable type (it calls a PlayStation a TV and an Xbox a desktop).
const consoleUa = /PlayStation|Xbox|Nintendo/i;
const wearableUa = /\b(?:Pixel|Galaxy) Watch\b|Wear ?OS|watchOS/i;

/**
 * Reads a user-agent string, and the client hints a Chromium browser sends beside it, into a
 * {@link Device}. Undefined when there is neither.
 *
 * @example
 * describeDevice('Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) … Version/16.6 Mobile/15E148 Safari/604.1');
 * // { browser: { name: 'Safari', version: '16.6' }, os: { name: 'iOS', version: '16.6' },
 * //   deviceType: 'tablet', isBot: false }
 */
export function describeDevice(userAgent: string, hints?: ClientHints): Device | undefined {
  if (!userAgent && !hints) return undefined;
  const parsed = userAgent ? Bowser.parse(userAgent, hints) : undefined;
  const isBot = userAgent !== '' && (isbot(userAgent) || parsed?.platform.type === 'bot');
  const device: Device = {
    browser: known({ name: parsed?.browser.name, version: parsed?.browser.version }),
    os: known({
      name: parsed?.os.name,
      // Bowser reports Windows as `NT 10.0`; its versionName (`10`, `7`) is what people call it.
      version: parsed?.os.name === 'Windows' ? parsed.os.versionName : parsed?.os.version,
    }),
    deviceType: isBot ? 'bot' : deviceTypeOf(userAgent, parsed?.platform.type),
    isBot,
  };
  return hints ? applyHints(device, hints) : device;
}

function deviceTypeOf(userAgent: string, platformType: string | undefined): DeviceType {
  if (consoleUa.test(userAgent)) return 'console';
  if (wearableUa.test(userAgent)) return 'wearable';
  switch (platformType) {
    case 'desktop':
    case 'mobile':
    case 'tablet':
    case 'tv':
      return platformType;
    default:
      return 'unknown';
  }
}

/**
 * Chromium freezes its user agent (Windows 11 still says `NT 10.0`, every version ends `.0.0.0`),
 * and the hints carry what it leaves out. They correct the UA; they do not replace it.
 */
function applyHints(device: Device, hints: ClientHints): Device {
  const os = { ...device.os };
  if (hints.platform) os.name = hints.platform;
  const version = hints.platformVersion && hintedOsVersion(os.name, hints.platformVersion);
  if (version) os.version = version;
  const brand = (hints.fullVersionList ?? []).find(
    ({ brand: name }) =>
      name === device.browser.name || name === `Google ${device.browser.name ?? ''}`,
  );
  const browser = brand ? { ...device.browser, version: brand.version } : device.browser;
  const mobileByHint =
    hints.mobile === true && (device.deviceType === 'desktop' || device.deviceType === 'unknown');
  return {
    ...device,
    browser,
    os: known(os),
    deviceType: mobileByHint ? 'mobile' : device.deviceType,
  };
}

// Windows reports its platform version as a UWP API contract: 13 and above is Windows 11,
// 1–10 is Windows 10 (0 is 7/8/8.1, which the UA string already tells apart).
function hintedOsVersion(osName: string | undefined, platformVersion: string): string | undefined {
  if (osName !== 'Windows') return platformVersion;
  const major = Number.parseInt(platformVersion, 10);
  return major >= 13 ? '11' : major >= 1 ? '10' : undefined;
}

/** Drops unknown fields rather than storing `''` or `undefined` in every event. */
function known(fields: { name?: string | undefined; version?: string | undefined }): {
  name?: string;
  version?: string;
} {
  return {
    ...(fields.name ? { name: fields.name } : {}),
    ...(fields.version ? { version: fields.version } : {}),
  };
}
