import { Router } from 'express';
import type { ContentRuleDirectory } from '../content/content-rule-directory.js';
import { ValidationError } from '../errors/index.js';
import { requireSecretKey } from '../http/authenticate.js';
import type { ApiKeyDirectory } from '../keys/api-key-directory.js';
import type { ProfileQueries } from '../profiles/profile-queries.js';

export interface ContentPreviewDeps {
  keys: ApiKeyDirectory;
  profiles: Pick<ProfileQueries, 'get'>;
  rules: ContentRuleDirectory;
  now?: () => number;
}

/**
 * `GET /v1/content-rules/resolve?profile=<identifier>&url=<page url>` (admin or console key):
 * what the realtime gateway would put in each slot for this profile on this page, now —
 * `{ profileId, segments, slots: { [slot]: { ruleId, name, content } } }`; 404 for an unknown
 * profile. Like the gateway, it goes by the profile's segments, so rules with an inline
 * condition do not apply here. Mount it before the content rule routes, whose
 * `/v1/content-rules/:id` would take `resolve` for an id.
 */
export function contentPreviewRoutes({ keys, profiles, rules, now }: ContentPreviewDeps): Router {
  const router = Router();
  router.get('/v1/content-rules/resolve', async (request, response) => {
    requireSecretKey(keys, request, 'admin');
    const { profile: identifier, url } = request.query;
    if (typeof identifier !== 'string' || identifier === '') {
      throw new ValidationError('profile must be a profile id or an identifier such as user_id:42');
    }
    if (url !== undefined && typeof url !== 'string') {
      throw new ValidationError('url must be one page address');
    }
    const profile = await profiles.get(identifier);
    const segments = profile.segments ?? [];
    const resolved = rules.resolve({ segments: new Set(segments) }, url, (now ?? Date.now)());
    const slots = Object.fromEntries(
      Object.entries(resolved).map(([slot, { ruleId, content }]) => [
        slot,
        { ruleId, name: rules.get(ruleId)?.name ?? ruleId, content },
      ]),
    );
    response.json({ profileId: profile.id, segments, slots });
  });
  return router;
}
