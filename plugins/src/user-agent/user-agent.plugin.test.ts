import { describe, expect, it } from 'vitest';
import { enrichedEvent, setUpPlugin } from '../testing/enrich.js';
import { aTrackingEvent } from '../testing/tracking-event.builder.js';
import { userAgentPlugin } from './user-agent.plugin.js';

// Real user-agent strings, as these browsers and clients send them.
const ua = {
  chromeWindows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  firefoxLinux: 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
  iPhoneSafari:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  iPad: 'Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1',
  androidPhone:
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.81 Mobile Safari/537.36',
  androidTablet:
    'Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  googlebot: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  googlebotSmartphone:
    'Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.69 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  curl: 'curl/8.5.0',
  samsungTv:
    'Mozilla/5.0 (SMART-TV; Linux; Tizen 6.0) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/4.0 Chrome/76.0.3809.146 TV Safari/537.36',
  playStation5:
    'Mozilla/5.0 (PlayStation; PlayStation 5/2.26) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.0 Safari/605.1.15',
  xboxOne:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64; Xbox; Xbox One) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/91.0.4472.124 Safari/537.36 Edge/20.02',
  pixelWatch:
    'Mozilla/5.0 (Linux; Android 11; Pixel Watch Build/RWDC.230605.001; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/114.0.5735.196 Mobile Safari/537.36',
};

const visitWith = (context: Record<string, unknown>) =>
  aTrackingEvent().withContext(context).build();

describe('user-agent plugin', () => {
  it.each([
    [
      'Chrome on Windows',
      ua.chromeWindows,
      { name: 'Chrome', version: '131.0.0.0' },
      { name: 'Windows', version: '10' },
      'desktop',
    ],
    [
      'Firefox on Linux',
      ua.firefoxLinux,
      { name: 'Firefox', version: '133.0' },
      { name: 'Linux' },
      'desktop',
    ],
    [
      'Safari on an iPhone',
      ua.iPhoneSafari,
      { name: 'Safari', version: '17.5' },
      { name: 'iOS', version: '17.5' },
      'mobile',
    ],
    [
      'Safari on an iPad',
      ua.iPad,
      { name: 'Safari', version: '16.6' },
      { name: 'iOS', version: '16.6' },
      'tablet',
    ],
    [
      'Chrome on an Android phone',
      ua.androidPhone,
      { name: 'Chrome', version: '131.0.6778.81' },
      { name: 'Android', version: '14' },
      'mobile',
    ],
    [
      'Chrome on an Android tablet',
      ua.androidTablet,
      { name: 'Chrome', version: '120.0.0.0' },
      { name: 'Android', version: '13' },
      'tablet',
    ],
    [
      'a Samsung smart TV',
      ua.samsungTv,
      { name: 'Samsung Internet for Android', version: '4.0' },
      { name: 'Tizen', version: '6.0' },
      'tv',
    ],
    ['a PlayStation 5', ua.playStation5, { name: 'Safari', version: '13.0' }, {}, 'console'],
    [
      'an Xbox',
      ua.xboxOne,
      { name: 'Microsoft Edge', version: '20.02' },
      { name: 'Windows', version: '10' },
      'console',
    ],
    [
      'a Pixel Watch',
      ua.pixelWatch,
      { name: 'Chrome', version: '114.0.5735.196' },
      { name: 'Android', version: '11' },
      'wearable',
    ],
  ])('describes %s', async (_label, userAgent, browser, os, deviceType) => {
    const plugin = await setUpPlugin(userAgentPlugin);
    const event = enrichedEvent(await plugin.enrich(visitWith({ userAgent })));
    expect(event.enrichment.device).toEqual({ browser, os, deviceType, isBot: false });
  });

  it.each([
    ['Googlebot', ua.googlebot],
    ['Googlebot smartphone', ua.googlebotSmartphone],
    ['curl', ua.curl],
  ])('marks %s as a bot', async (_label, userAgent) => {
    const plugin = await setUpPlugin(userAgentPlugin);
    const event = enrichedEvent(await plugin.enrich(visitWith({ userAgent })));
    expect(event.enrichment.device).toMatchObject({ deviceType: 'bot', isBot: true });
  });

  it('names Googlebot as the browser, so reports can tell crawlers apart', async () => {
    const plugin = await setUpPlugin(userAgentPlugin);
    const event = enrichedEvent(await plugin.enrich(visitWith({ userAgent: ua.googlebot })));
    expect(event.enrichment.device).toEqual({
      browser: { name: 'Googlebot', version: '2.1' },
      os: {},
      deviceType: 'bot',
      isBot: true,
    });
  });

  it('drops bots with dropBots and keeps people', async () => {
    const plugin = await setUpPlugin(userAgentPlugin, { dropBots: true });
    expect(await plugin.enrich(visitWith({ userAgent: ua.googlebot }))).toEqual({ drop: 'bot' });
    expect(await plugin.enrich(visitWith({ userAgent: ua.curl }))).toEqual({ drop: 'bot' });
    const person = enrichedEvent(await plugin.enrich(visitWith({ userAgent: ua.iPhoneSafari })));
    expect(person.enrichment.device).toMatchObject({ deviceType: 'mobile' });
  });

  it('keeps bots by default', async () => {
    const plugin = await setUpPlugin(userAgentPlugin);
    expect(plugin.config).toEqual({ dropBots: false });
    expect(await plugin.enrich(visitWith({ userAgent: ua.googlebot }))).not.toHaveProperty('drop');
  });

  it('uses client hints for what a frozen Chromium UA no longer says', async () => {
    const plugin = await setUpPlugin(userAgentPlugin);
    const event = enrichedEvent(
      await plugin.enrich(
        visitWith({
          userAgent: ua.chromeWindows,
          userAgentData: {
            brands: [
              { brand: 'Google Chrome', version: '131' },
              { brand: 'Chromium', version: '131' },
              { brand: 'Not_A Brand', version: '24' },
            ],
            fullVersionList: [{ brand: 'Google Chrome', version: '131.0.6778.86' }],
            mobile: false,
            platform: 'Windows',
            platformVersion: '15.0.0',
          },
        }),
      ),
    );
    expect(event.enrichment.device).toEqual({
      browser: { name: 'Chrome', version: '131.0.6778.86' },
      os: { name: 'Windows', version: '11' },
      deviceType: 'desktop',
      isBot: false,
    });
  });

  it('takes a mobile hint over a desktop-looking UA, and works from hints alone', async () => {
    const plugin = await setUpPlugin(userAgentPlugin);
    const hinted = enrichedEvent(
      await plugin.enrich(
        visitWith({
          userAgent: '',
          userAgentData: { mobile: true, platform: 'Android', platformVersion: '14.0.0' },
        }),
      ),
    );
    expect(hinted.enrichment.device).toEqual({
      browser: {},
      os: { name: 'Android', version: '14.0.0' },
      deviceType: 'mobile',
      isBot: false,
    });
  });

  it('ignores malformed client hints', async () => {
    const plugin = await setUpPlugin(userAgentPlugin);
    const event = enrichedEvent(
      await plugin.enrich(
        visitWith({ userAgent: ua.iPad, userAgentData: { mobile: 'yes', brands: 'Chrome' } }),
      ),
    );
    expect(event.enrichment.device).toMatchObject({ deviceType: 'tablet', os: { name: 'iOS' } });
  });

  it.each([[{}], [{ userAgent: '' }], [{ userAgent: 42 }]])(
    'leaves an event without a user agent as it was: %j',
    async (context) => {
      const plugin = await setUpPlugin(userAgentPlugin);
      expect(await plugin.enrich(visitWith(context))).toEqual(visitWith(context));
    },
  );

  it('gives equal results for a repeated user agent (cached) and on a replay', async () => {
    const plugin = await setUpPlugin(userAgentPlugin);
    const first = await plugin.enrich(visitWith({ userAgent: ua.androidPhone }));
    const second = await plugin.enrich(visitWith({ userAgent: ua.androidPhone }));
    expect(second).toEqual(first);
    expect(JSON.parse(JSON.stringify(second))).toEqual(first);
  });
});
