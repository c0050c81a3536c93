import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeFetch, problem } from '../segments/fake-fetch.fixture.js';
import ContentRuleEditor from './ContentRuleEditor.svelte';
import ResolvePreview from './ResolvePreview.svelte';

afterEach(() => {
  vi.unstubAllGlobals();
});

const segments = {
  body: { segments: [{ id: 'trial', name: 'Trial users', condition: { and: [] }, version: 1 }] },
};

describe('ContentRuleEditor', () => {
  it('sends the rule as the form says, with a segment audience and extra content', async () => {
    const server = fakeFetch({
      'GET /v1/segments': segments,
      'POST /v1/content-rules': problem(400, 'validation_failed', 'The content rule is invalid', {
        errors: ['slot must be 1–64 letters, digits, - or _, starting with a letter or digit'],
      }),
    });
    render(ContentRuleEditor, { props: {} });
    await screen.findByRole('heading', { name: 'New content rule' });

    await fireEvent.input(screen.getByLabelText(/^Name/), { target: { value: 'Pro upsell' } });
    await fireEvent.input(screen.getByLabelText(/^Slot/), { target: { value: 'hero banner' } });
    await fireEvent.input(screen.getByLabelText(/^Pages/), { target: { value: '/pricing*' } });
    await fireEvent.click(screen.getByRole('radio', { name: 'Members of a segment' }));
    await fireEvent.change(screen.getByLabelText('Segment'), { target: { value: 'trial' } });
    await fireEvent.input(screen.getByLabelText('Title'), { target: { value: 'Go Pro' } });
    await fireEvent.input(screen.getByLabelText(/^Extra fields/), {
      target: { value: '{"badge": "new"}' },
    });
    await fireEvent.input(screen.getByLabelText('Priority'), { target: { value: '10' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Create rule' }));

    expect(server.requests.find((r) => r.method === 'POST')?.body).toEqual({
      name: 'Pro upsell',
      slot: 'hero banner',
      segmentId: 'trial',
      urlPattern: '/pricing*',
      content: { badge: 'new', title: 'Go Pro' },
      priority: 10,
    });
    const slotError = await screen.findByText(/^slot must be 1–64 letters/);
    expect(screen.getByLabelText(/^Slot/).getAttribute('aria-describedby')).toContain(slotError.id);
  });

  it('uses the segment builder for an inline condition', async () => {
    const server = fakeFetch({
      'GET /v1/segments': segments,
      'POST /v1/content-rules': { status: 201, body: { id: 'r1' } },
    });
    render(ContentRuleEditor, { props: {} });
    await screen.findByRole('heading', { name: 'New content rule' });
    await fireEvent.input(screen.getByLabelText(/^Name/), { target: { value: 'Germany' } });
    await fireEvent.input(screen.getByLabelText(/^Slot/), { target: { value: 'hero' } });
    await fireEvent.click(screen.getByRole('radio', { name: 'Profiles matching a condition' }));
    const builder = screen.getByRole('group', { name: 'Profiles for which' });
    await fireEvent.click(within(builder).getByRole('button', { name: 'Add property' }));
    await fireEvent.change(within(builder).getByLabelText('Field'), {
      target: { value: 'geo.country' },
    });
    await fireEvent.input(within(builder).getByLabelText('Value'), { target: { value: 'DE' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Create rule' }));
    expect(server.requests.find((r) => r.method === 'POST')?.body).toMatchObject({
      condition: { and: [{ property: 'geo.country', op: 'equals', value: 'DE' }] },
    });
  });
});

describe('ResolvePreview', () => {
  it('shows what each slot would get for a profile on a page', async () => {
    const server = fakeFetch({
      'GET /v1/content-rules/resolve?profile=email%3Aada%40example.com&url=https%3A%2F%2Fshop.example%2Fpricing':
        {
          body: {
            profileId: 'p1',
            segments: ['trial'],
            slots: { hero: { ruleId: 'r1', name: 'Pro upsell', content: { title: 'Go Pro' } } },
          },
        },
    });
    render(ResolvePreview);
    await fireEvent.input(screen.getByLabelText('Profile identifier'), {
      target: { value: 'email:ada@example.com' },
    });
    await fireEvent.input(screen.getByLabelText('Page URL'), {
      target: { value: 'https://shop.example/pricing' },
    });
    await fireEvent.click(screen.getByRole('button', { name: 'Show content' }));
    expect(server.requests).toHaveLength(1);
    const row = (await screen.findByRole('link', { name: 'Pro upsell' })).closest('tr')!;
    expect(within(row).getByText('hero')).toBeTruthy();
    expect(within(row).getByLabelText('Content of slot hero').textContent).toContain(
      '"title": "Go Pro"',
    );
    expect(screen.getByText(/in\s+trial/)).toBeTruthy();
  });
});
