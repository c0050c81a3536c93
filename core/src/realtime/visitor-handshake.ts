import type { PersonalizeRefusal } from '@uspa/sdk';
import type { ApiKeyDirectory } from '../keys/api-key-directory.js';
import type { VisitorIdentity } from './personalization.port.js';
import { isValidUserHash } from './user-hash.js';

export const MAX_VISITOR_ID_LENGTH = 200;
export const MAX_PAGE_URL_LENGTH = 2048;

/** What the handshake needs from a socket.io connection attempt. */
export interface HandshakeRequest {
  /** The client's `auth` object, untrusted. */
  auth: Record<string, unknown>;
  /** The `Origin` header, when a browser sent one. */
  origin: string | undefined;
}

export type HandshakeOutcome =
  | { accepted: true; visitor: VisitorIdentity; url: string | undefined; writeKeyId: string }
  | { accepted: false; refusal: PersonalizeRefusal };

/**
 * Decides a realtime handshake the way collection decides a tracking call: an active write key,
 * the key's origin allow-list (empty allows any; no Origin header is not a browser and passes),
 * then the visitor's ids. A user id counts only with a valid hash; without an identity secret no
 * user id can be proven, so every claimed one is refused.
 *
 * @example
 * const outcome = decideHandshake({ auth: socket.handshake.auth, origin }, keys, secret);
 * if (!outcome.accepted) next(refusalError(outcome.refusal));
 */
export function decideHandshake(
  request: HandshakeRequest,
  keys: Pick<ApiKeyDirectory, 'findBySecret'>,
  identitySecret: string | undefined,
): HandshakeOutcome {
  const { auth, origin } = request;
  const key = typeof auth.writeKey === 'string' ? keys.findBySecret(auth.writeKey) : undefined;
  if (!key || key.type !== 'write') {
    return refuse('invalid_write_key', 'Unknown or revoked write key');
  }
  if (origin && key.allowedOrigins.length > 0 && !key.allowedOrigins.includes(origin)) {
    return refuse('origin_not_allowed', `Origin ${origin} may not use this write key`);
  }
  const anonymousId = visitorId(auth.anonymousId);
  if (!anonymousId) {
    return refuse(
      'missing_anonymous_id',
      `anonymousId must be a non-empty string of at most ${MAX_VISITOR_ID_LENGTH} characters`,
    );
  }
  const visitor: VisitorIdentity = { anonymousId };
  if (auth.userId !== undefined && auth.userId !== null) {
    const userId = visitorId(auth.userId);
    if (!userId) {
      return refuse('invalid_user_hash', 'userId must be a non-empty string');
    }
    if (!identitySecret) {
      return refuse('invalid_user_hash', 'This installation verifies no user ids');
    }
    if (!isValidUserHash(auth.userId as string, auth.userHash, identitySecret)) {
      return refuse('invalid_user_hash', 'userHash does not prove this userId');
    }
    visitor.userId = userId;
  }
  return { accepted: true, visitor, url: pageUrl(auth.url), writeKeyId: key.id };
}

/** A page URL the client sent, or undefined when it is not a plausible one. */
export function pageUrl(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_PAGE_URL_LENGTH
    ? value
    : undefined;
}

/** Ids are matched trimmed, as the profile projection stores them. */
function visitorId(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const id = value.trim();
  return id.length > 0 && id.length <= MAX_VISITOR_ID_LENGTH ? id : undefined;
}

function refuse(code: PersonalizeRefusal['code'], message: string): HandshakeOutcome {
  return { accepted: false, refusal: { code, message } };
}
