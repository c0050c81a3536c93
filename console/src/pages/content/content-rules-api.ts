import { api, segment as pathSegment } from '../../lib/api.js';
import type { Condition } from '../segments/condition-types.js';

/** The content rules API (`core/src/content/content-rule.routes.ts`), typed for the console. */

export interface ContentRule {
  id: string;
  name: string;
  /** Where the browser SDK renders the content: `data-uspa-slot="…"`. */
  slot: string;
  /** Audience: members of this segment; exclusive with `condition`; neither = everyone. */
  segmentId?: string;
  condition?: Condition;
  /** A `*` glob over the path (`/pricing*`) or, starting with `http`, the whole URL. */
  urlPattern?: string;
  content: Record<string, unknown>;
  /** −1000..1000; the highest active matching rule of a slot wins. */
  priority: number;
  startsAt?: string;
  endsAt?: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export type ContentRuleInput = Omit<ContentRule, 'id' | 'createdAt' | 'updatedAt' | 'version'>;

/** What a profile on a page would get: the winning rule of each slot. */
export interface ResolvedContent {
  profileId: string | null;
  segments: string[];
  slots: Record<string, { ruleId: string; name: string; content: Record<string, unknown> }>;
}

const one = (id: string) => `/v1/content-rules/${pathSegment(id)}`;

export const contentRulesApi = {
  list: async () =>
    (await api.get<{ contentRules: ContentRule[] }>('/v1/content-rules')).contentRules,
  get: (id: string) => api.get<ContentRule>(one(id)),
  create: (input: ContentRuleInput) => api.post<ContentRule>('/v1/content-rules', input),
  update: (id: string, input: ContentRuleInput) => api.put<ContentRule>(one(id), input),
  remove: (id: string) => api.del(one(id)),
  resolve: (profile: string, url: string) => {
    const query = new URLSearchParams({ profile, ...(url === '' ? {} : { url }) });
    return api.get<ResolvedContent>(`/v1/content-rules/resolve?${query}`);
  },
};
