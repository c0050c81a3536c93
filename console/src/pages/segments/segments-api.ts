import { api, segment as pathSegment } from '../../lib/api.js';
import type { Condition } from './condition-types.js';

/** The segments API (`core/src/segments/segment.routes.ts`), typed for the console. */

export type SegmentStatus =
  { state: 'ready' } | { state: 'computing'; done: number; total: number; startedAt: string };

export interface Segment {
  id: string;
  name: string;
  description?: string;
  condition: Condition;
  version: number;
  createdAt: string;
  updatedAt: string;
  /** Absent when projections are disabled in the serving process. */
  status?: SegmentStatus;
  members?: number;
}

export interface SegmentInput {
  name: string;
  description?: string;
  condition: Condition;
}

export interface SegmentPreview {
  count: number;
  sample: { id: string; traits: Record<string, unknown>; identifiers: string[] }[];
  tookMs: number;
}

/** A profile document as the members list shows it (the document carries more). */
export interface SegmentMember {
  id: string;
  identifiers?: string[];
  traits?: Record<string, unknown>;
  lastSeen?: string;
}

export interface MembersPage {
  members: SegmentMember[];
  total: number;
  next?: string;
}

const one = (id: string) => `/v1/segments/${pathSegment(id)}`;

export const segmentsApi = {
  list: async () => (await api.get<{ segments: Segment[] }>('/v1/segments')).segments,
  get: (id: string) => api.get<Segment>(one(id)),
  create: (input: SegmentInput) => api.post<Segment>('/v1/segments', input),
  update: (id: string, input: SegmentInput) => api.put<Segment>(one(id), input),
  archive: (id: string) => api.del(one(id)),
  preview: (condition: Condition) =>
    api.post<SegmentPreview>('/v1/segments/preview', { condition }),
  members: (id: string, size: number, after?: string) => {
    const query = new URLSearchParams({ size: String(size), ...(after ? { after } : {}) });
    return api.get<MembersPage>(`${one(id)}/members?${query}`);
  },
};
