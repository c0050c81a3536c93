import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import ConfigForm from './ConfigForm.svelte';
import type { JsonSchema } from './config-schema-fields.js';

const schema: JsonSchema = {
  type: 'object',
  properties: {
    url: { type: 'string', description: 'Where to POST.' },
    secret: { type: 'string', writeOnly: true },
    timeoutMs: { type: 'integer', minimum: 100, maximum: 30000, default: 10000 },
    dryRun: { type: 'boolean' },
    format: { enum: ['json', 'form'], default: 'json' },
    eventNames: { type: 'array', items: { type: 'string' } },
    auth: {
      type: 'object',
      title: 'Authentication',
      properties: { user: { type: 'string' }, realm: { type: 'string', default: 'uspa' } },
      required: ['user'],
    },
  },
  required: ['url', 'secret'],
};

function renderForm(
  config: Record<string, unknown> = {},
  errors: { path: string; message: string }[] = [],
) {
  const onsave = vi.fn<(config: Record<string, unknown>) => void>();
  render(ConfigForm, { props: { schema, config, errors, onsave } });
  return onsave;
}

const textbox = (name: string) => screen.getByRole('textbox', { name });
const type = (element: HTMLElement, value: string) =>
  fireEvent.input(element, { target: { value } });

describe('ConfigForm', () => {
  it('renders a labelled input of the right kind for each property', () => {
    renderForm();
    expect(textbox('url')).toHaveProperty('type', 'text');
    expect(screen.getByLabelText(/^secret/)).toHaveProperty('type', 'password');
    const timeout = screen.getByRole('spinbutton', { name: 'timeoutMs' });
    expect([
      timeout.getAttribute('min'),
      timeout.getAttribute('max'),
      (timeout as HTMLInputElement).value,
    ]).toEqual(['100', '30000', '10000']);
    expect(screen.getByRole('checkbox', { name: 'dryRun' })).toBeTruthy();
    const format = screen.getByRole<HTMLSelectElement>('combobox', { name: 'format' });
    expect(
      within(format)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['— not set —', 'json', 'form']);
    expect(screen.getByRole('group', { name: 'eventNames' })).toBeTruthy();
    const auth = screen.getByRole('group', { name: /Authentication/ });
    expect(within(auth).getByRole('textbox', { name: 'realm' })).toHaveProperty('value', 'uspa');
    expect(screen.getByText('Where to POST.').id).toBe(
      textbox('url').getAttribute('aria-describedby'),
    );
  });

  it('marks the required fields', () => {
    renderForm();
    expect(textbox('url').getAttribute('aria-required')).toBe('true');
    expect(screen.getByLabelText(/^secret/).getAttribute('aria-required')).toBe('true');
    expect(
      screen.getByRole('spinbutton', { name: 'timeoutMs' }).getAttribute('aria-required'),
    ).toBeNull();
    expect(
      screen.getByLabelText(/^url/).closest('.config-field')!.querySelector('.required'),
    ).toBeTruthy();
    expect(
      within(screen.getByRole('group', { name: /Authentication/ }))
        .getByRole('textbox', { name: 'user' })
        .getAttribute('aria-required'),
    ).toBe('true');
  });

  it('produces the configuration the inputs say', async () => {
    const onsave = renderForm();
    await type(textbox('url'), 'https://hooks.example/uspa');
    await type(screen.getByLabelText(/^secret/), 'whsec_0123456789abcdef');
    await type(screen.getByRole('spinbutton', { name: 'timeoutMs' }), '5000');
    await fireEvent.click(screen.getByRole('checkbox', { name: 'dryRun' }));
    await fireEvent.change(screen.getByRole('combobox', { name: 'format' }), {
      target: { value: '"form"' },
    });
    const names = screen.getByRole('group', { name: 'eventNames' });
    await fireEvent.click(within(names).getByRole('button', { name: 'Add eventNames item' }));
    await fireEvent.click(within(names).getByRole('button', { name: 'Add eventNames item' }));
    await type(
      within(names).getByRole('textbox', { name: 'eventNames item 1' }),
      'Order Completed',
    );
    await type(within(names).getByRole('textbox', { name: 'eventNames item 2' }), 'Signed Up');
    await type(textbox('user'), 'ada');
    await fireEvent.click(screen.getByRole('button', { name: 'Save configuration' }));

    expect(onsave).toHaveBeenCalledWith({
      url: 'https://hooks.example/uspa',
      secret: 'whsec_0123456789abcdef',
      timeoutMs: 5000,
      dryRun: true,
      format: 'form',
      eventNames: ['Order Completed', 'Signed Up'],
      auth: { user: 'ada', realm: 'uspa' },
    });
  });

  it('shows a stored secret masked and sends the mask back to keep it', async () => {
    const onsave = renderForm({
      url: 'https://x.example',
      secret: '••••••••',
      auth: { user: 'ada' },
    });
    expect(screen.getByLabelText(/^secret/)).toHaveProperty('value', '••••••••');
    expect(screen.getByText(/A secret is stored/)).toBeTruthy();
    await fireEvent.submit(textbox('url').closest('form')!);
    expect(onsave.mock.lastCall![0]).toMatchObject({ secret: '••••••••' });
  });

  it('refuses a value out of bounds before sending, and shows the API errors by path', async () => {
    const onsave = renderForm({}, [
      { path: '/', message: "must have required property 'url'" },
      { path: '/auth', message: "must have required property 'user'" },
    ]);
    expect(screen.getByLabelText(/^url/).getAttribute('aria-invalid')).toBe('true');
    expect(
      within(screen.getByRole('group', { name: /Authentication/ })).getByText('Required.'),
    ).toBeTruthy();
    await type(screen.getByRole('spinbutton', { name: 'timeoutMs' }), '50');
    await fireEvent.click(screen.getByRole('button', { name: 'Save configuration' }));
    expect(onsave).not.toHaveBeenCalled();
    expect(screen.getByText('Must be at least 100.')).toBeTruthy();
  });
});
