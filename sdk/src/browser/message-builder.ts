import type { JsonObject, SegmentMessage } from '../collect/segment-message.js';
import { uuid } from './browser-storage.js';
import type { VisitorIdentity } from './visitor-identity.js';

/**
 * The page as Segment's `context.page` and page `properties` describe it.
 *
 * @example
 * pageFields(); // { url: 'https://shop.example/pricing?x=1', path: '/pricing', search: '?x=1', … }
 */
export function pageFields(): JsonObject {
  return {
    url: location.href,
    path: location.pathname,
    search: location.search,
    title: document.title,
    referrer: document.referrer,
  };
}

/**
 * A complete message for one call: ids, timestamp and the browser's context added to the
 * call's own fields.
 *
 * @example
 * buildMessage('track', { event: 'Signed Up', properties: { plan: 'pro' } }, visitor);
 */
export function buildMessage(
  type: SegmentMessage['type'],
  fields: Partial<SegmentMessage>,
  visitor: VisitorIdentity,
): SegmentMessage {
  return {
    ...fields,
    type,
    messageId: uuid(),
    anonymousId: visitor.anonymousId,
    ...(visitor.userId !== undefined && { userId: visitor.userId }),
    timestamp: new Date().toISOString(),
    context: {
      page: pageFields(),
      userAgent: navigator.userAgent,
      library: { name: 'uspa.js', version: __USPA_VERSION__ },
      locale: navigator.language,
      screen: { width: screen.width, height: screen.height, density: devicePixelRatio },
    },
  };
}
