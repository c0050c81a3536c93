import {
  configOf,
  draftOf,
  type ConfigResult,
  type Draft,
  type DraftValue,
} from './config-draft.js';
import { configFields, type ConfigField, type JsonSchema } from './config-schema-fields.js';

/**
 * The values of a generated configuration form, by JSON pointer, with typed accessors for the
 * inputs (a checkbox reads a boolean, a list input an array) so each input binds to one place.
 */
export class ConfigFormState {
  readonly fields: ConfigField[];
  values = $state<Draft>({});
  /** Inputs that could not become values at the last submit, by pointer. */
  problems = $state.raw<Record<string, string>>({});

  constructor(
    schema: JsonSchema | undefined,
    private readonly stored: Record<string, unknown> = {},
  ) {
    this.fields = configFields(schema);
    this.values = draftOf(this.fields, stored);
  }

  text(pointer: string): string {
    const value = this.values[pointer];
    return typeof value === 'string' ? value : '';
  }

  bool(pointer: string): boolean {
    return this.values[pointer] === true;
  }

  list(pointer: string): string[] {
    const value = this.values[pointer];
    return Array.isArray(value) ? value : [];
  }

  set(pointer: string, value: DraftValue): void {
    this.values[pointer] = value;
  }

  setItem(pointer: string, index: number, value: string): void {
    this.set(
      pointer,
      this.list(pointer).map((item, i) => (i === index ? value : item)),
    );
  }

  addItem(pointer: string): void {
    this.set(pointer, [...this.list(pointer), '']);
  }

  removeItem(pointer: string, index: number): void {
    this.set(
      pointer,
      this.list(pointer).filter((_, i) => i !== index),
    );
  }

  toggle(pointer: string, option: string, on: boolean): void {
    const others = this.list(pointer).filter((item) => item !== option);
    this.set(pointer, on ? [...others, option] : others);
  }

  /** The configuration to send, or (in `problems`) what to fix first. */
  result(): ConfigResult {
    const result = configOf(this.fields, this.values, this.stored);
    this.problems = result.problems;
    return result;
  }
}
