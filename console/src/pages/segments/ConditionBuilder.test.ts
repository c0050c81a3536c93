import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import ConditionBuilder from './ConditionBuilder.svelte';
import type { Condition } from './condition-types.js';

function renderBuilder(props: { initial?: Condition; errors?: string[] } = {}) {
  const onchange = vi.fn<(condition: Condition, problems: string[]) => void>();
  const view = render(ConditionBuilder, {
    props: { ...props, onchange, segments: [{ id: 'vip', name: 'VIP' }] },
  });
  const last = () => onchange.mock.lastCall!;
  return { ...view, last };
}

const root = () => screen.getByRole('group', { name: 'Condition' });
const change = (element: HTMLElement, value: string) =>
  fireEvent.change(element, { target: { value } });
const type = (element: HTMLElement, value: string) =>
  fireEvent.input(element, { target: { value } });

describe('ConditionBuilder', () => {
  it('starts from "all of nothing" and reports it', () => {
    const { last } = renderBuilder();
    expect(last()).toEqual([{ and: [] }, []]);
    expect(screen.getByText('No conditions yet: every profile matches.')).toBeTruthy();
  });

  it('builds a trait condition and an event condition with a 30-day window', async () => {
    const { last } = renderBuilder();

    await fireEvent.click(within(root()).getByRole('button', { name: 'Add property' }));
    const trait = screen.getByRole('group', { name: 'Profile property' });
    await change(within(trait).getByLabelText('Field'), 'traits.plan');
    await change(within(trait).getByLabelText('Operator'), 'equals');
    await type(within(trait).getByLabelText('Value'), 'pro');

    await fireEvent.click(within(root()).getByRole('button', { name: 'Add event' }));
    const event = screen.getByRole('group', { name: 'Event' });
    await change(within(event).getByLabelText('Event type'), 'Tracked');
    await type(within(event).getByLabelText('Event name'), 'Order Completed');
    await change(within(event).getByLabelText('Window'), 'lastDays');
    await type(within(event).getByLabelText('Days'), '30');

    expect(last()).toEqual([
      {
        and: [
          { property: 'traits.plan', op: 'equals', value: 'pro' },
          { event: { type: 'Tracked', name: 'Order Completed', within: { lastDays: 30 } } },
        ],
      },
      [],
    ]);
  });

  it('switches a group to "or"', async () => {
    const { last } = renderBuilder({ initial: { and: [{ segment: 'vip' }] } });
    await change(within(root()).getAllByLabelText('Match')[0]!, 'or');
    expect(last()[0]).toEqual({ or: [{ segment: 'vip' }] });
  });

  it('takes two values for between, as numbers for a number field', async () => {
    const { last } = renderBuilder();
    await fireEvent.click(within(root()).getByRole('button', { name: 'Add property' }));
    const trait = screen.getByRole('group', { name: 'Profile property' });
    await change(within(trait).getByLabelText('Field'), 'ecommerce.orders');
    await change(within(trait).getByLabelText('Operator'), 'between');
    expect(within(trait).queryByLabelText('Value')).toBeNull();
    await type(within(trait).getByLabelText('From'), '2');
    await type(within(trait).getByLabelText('To'), '10');
    expect(last()[0]).toEqual({
      and: [{ property: 'ecommerce.orders', op: 'between', value: [2, 10] }],
    });
  });

  it('offers only the operators a boolean field allows, and no value for "is set"', async () => {
    renderBuilder();
    await fireEvent.click(within(root()).getByRole('button', { name: 'Add property' }));
    const trait = screen.getByRole('group', { name: 'Profile property' });
    await change(within(trait).getByLabelText('Field'), 'device.isBot');
    const operators = within(within(trait).getByLabelText('Operator')).getAllByRole('option');
    expect(operators.map((option) => (option as HTMLOptionElement).value)).toEqual([
      'equals',
      'notEquals',
      'exists',
      'missing',
    ]);
    await change(within(trait).getByLabelText('Operator'), 'exists');
    expect(within(trait).queryByLabelText('Value')).toBeNull();
  });

  it('nests a negated group and a free field', async () => {
    const { last } = renderBuilder();
    await fireEvent.click(within(root()).getByRole('button', { name: 'Add group' }));
    const group = screen.getByRole('group', { name: 'Group' });
    await fireEvent.click(within(group).getByRole('checkbox', { name: /Not/ }));
    await fireEvent.click(within(group).getByRole('button', { name: 'Add property' }));
    const trait = within(group).getByRole('group', { name: 'Profile property' });
    await change(within(trait).getByLabelText('Field'), 'free:computed.');
    await type(within(trait).getByLabelText('Path'), 'computed.churnRisk');
    await change(within(trait).getByLabelText('Type'), 'number');
    await change(within(trait).getByLabelText('Operator'), 'gte');
    await type(within(trait).getByLabelText('Value'), '0.8');
    expect(last()[0]).toEqual({
      and: [{ not: { or: [{ property: 'computed.churnRisk', op: 'gte', value: 0.8 }] } }],
    });
  });

  it('reports unfinished inputs instead of a condition ready to send', async () => {
    const { last } = renderBuilder();
    await fireEvent.click(within(root()).getByRole('button', { name: 'Add segment' }));
    expect(last()[1]).toEqual(['Pick a segment.']);
    expect(screen.getByText('Pick a segment.')).toBeTruthy();
  });

  it('shows the server errors on the part they are about', () => {
    renderBuilder({
      initial: { and: [{ property: 'traits.email', op: 'matchesRegex', value: '(a+)*' }] },
      errors: ['and[0].value: unsupported pattern: nested quantifiers', 'cycle: a → b → a'],
    });
    const trait = screen.getByRole('group', { name: 'Profile property' });
    expect(within(trait).getByText('value: unsupported pattern: nested quantifiers')).toBeTruthy();
    expect(screen.getByText('cycle: a → b → a')).toBeTruthy();
  });
});
