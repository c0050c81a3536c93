import { describe, expect, it } from 'vitest';
import { editableBody, parsePlanJson, type TrackingPlan } from './tracking-plans.svelte.js';

describe('tracking plan editor', () => {
  it('edits a plan without the fields the server sets', () => {
    const plan: TrackingPlan = {
      id: 'web',
      name: 'Web',
      mode: 'block',
      sourceIds: ['shop'],
      events: { 'Signed Up': { type: 'object' } },
      allowUnplannedEvents: false,
      updatedAt: '2026-11-29T10:00:00.000Z',
    };
    expect(editableBody(plan)).toEqual({
      name: 'Web',
      mode: 'block',
      sourceIds: ['shop'],
      events: { 'Signed Up': { type: 'object' } },
      allowUnplannedEvents: false,
    });
  });

  it('reads a JSON object and explains anything else', () => {
    expect(parsePlanJson('{ "mode": "annotate" }')).toEqual({
      ok: true,
      body: { mode: 'annotate' },
    });
    const broken = parsePlanJson('{ "mode": ');
    expect(broken.ok).toBe(false);
    expect(!broken.ok && broken.error).toMatch(/^Not valid JSON/);
    expect(parsePlanJson('["annotate"]')).toEqual({
      ok: false,
      error: 'A plan is a JSON object with name, mode, events…',
    });
  });
});
