import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import SegmentEditor from './SegmentEditor.svelte';
import { fakeFetch, problem } from './fake-fetch.fixture.js';
import type { Segment } from './segments-api.js';

const vip: Segment = {
  id: 'vip',
  name: 'VIP',
  condition: { and: [{ property: 'ecommerce.revenue', op: 'gte', value: 1000 }] },
  version: 2,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-02T00:00:00.000Z',
  status: { state: 'ready' },
  members: 42,
};

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('SegmentEditor', () => {
  it('shows a saved segment with its live count and members, and explains a refused archive', async () => {
    const server = fakeFetch({
      'GET /v1/segments/vip': { body: vip },
      'GET /v1/segments': {
        body: { segments: [vip, { ...vip, id: 'big-spenders', name: 'Big spenders' }] },
      },
      'POST /v1/segments/preview': {
        body: {
          count: 42,
          sample: [{ id: 'p1', traits: { email: 'ada@example.com' }, identifiers: [] }],
          tookMs: 3,
        },
      },
      'GET /v1/segments/vip/members?size=25': {
        body: {
          members: [
            {
              id: 'p1',
              traits: { email: 'ada@example.com' },
              identifiers: ['email:ada@example.com'],
            },
          ],
          total: 1,
        },
      },
      'DELETE /v1/segments/vip': problem(
        409,
        'segment_in_use',
        'Segment vip is used by big-spenders',
      ),
    });
    render(SegmentEditor, { props: { id: 'vip' } });

    expect(await screen.findByRole('heading', { name: 'VIP' })).toBeTruthy();
    expect(screen.getByLabelText(/^Name/)).toHaveProperty('value', 'VIP');
    await waitFor(() => expect(screen.getByText('profiles match', { exact: false })).toBeTruthy());
    const preview = screen.getByRole('region', { name: 'Preview' });
    expect(within(preview).getByText('42')).toBeTruthy();
    expect(within(preview).getByRole('link', { name: 'ada@example.com' })).toBeTruthy();
    expect(server.requests.find((r) => r.path === '/v1/segments/preview')?.body).toEqual({
      condition: vip.condition,
    });
    expect(await screen.findByText('1–1 of 1')).toBeTruthy();

    await fireEvent.click(screen.getByRole('button', { name: 'Archive' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Archive' }));
    expect(
      await screen.findByText('This segment cannot be archived: another segment uses it.'),
    ).toBeTruthy();
    expect(screen.getByText(/Segment vip is used by big-spenders/)).toBeTruthy();
  });

  it('creates a segment and puts the server’s errors beside the name and the condition part', async () => {
    const server = fakeFetch({
      'GET /v1/segments': { body: { segments: [] } },
      'POST /v1/segments/preview': { body: { count: 0, sample: [], tookMs: 1 } },
      'POST /v1/segments': problem(400, 'validation_failed', 'Invalid segment', {
        errors: [
          'name: a string of 1–200 characters',
          'condition.and[0].value: strings are at most 256 characters',
        ],
      }),
    });
    render(SegmentEditor, { props: {} });
    await screen.findByRole('heading', { name: 'New segment' });

    await fireEvent.input(screen.getByLabelText(/^Name/), { target: { value: 'Pro plan' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Add property' }));
    await fireEvent.input(screen.getByLabelText('Value'), { target: { value: 'pro' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Create segment' }));

    const post = server.requests.find((r) => r.method === 'POST' && r.path === '/v1/segments');
    expect(post?.body).toEqual({
      name: 'Pro plan',
      condition: { and: [{ property: 'traits.plan', op: 'equals', value: 'pro' }] },
    });
    expect(await screen.findByText('a string of 1–200 characters')).toBeTruthy();
    expect(screen.getByLabelText(/^Name/).getAttribute('aria-invalid')).toBe('true');
    const part = screen.getByRole('group', { name: 'Profile property' });
    expect(within(part).getByText('value: strings are at most 256 characters')).toBeTruthy();
  });
});
