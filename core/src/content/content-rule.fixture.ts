import {
  CONTENT_RULE_DEFINED,
  CONTENT_RULE_DELETED,
  type Condition,
  type ContentRule,
} from '../domain/content-rules.js';

/**
 * Builds content rules for tests: everyone, every page, always active, priority 0.
 *
 * @example
 * aContentRule('r1').inSlot('hero').forSegment('vip').withPriority(5).defined();
 */
export function aContentRule(id: string): ContentRuleBuilder {
  return new ContentRuleBuilder(id);
}

export class ContentRuleBuilder {
  #rule: ContentRule;

  constructor(id: string) {
    this.#rule = {
      id,
      name: `Rule ${id}`,
      slot: 'hero',
      content: { title: `Content of ${id}` },
      priority: 0,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      version: 1,
    };
  }

  inSlot(slot: string): this {
    return this.#with({ slot });
  }

  forSegment(segmentId: string): this {
    return this.#with({ segmentId });
  }

  forCondition(condition: Condition): this {
    return this.#with({ condition });
  }

  onPages(urlPattern: string): this {
    return this.#with({ urlPattern });
  }

  withPriority(priority: number): this {
    return this.#with({ priority });
  }

  between(startsAt: string | undefined, endsAt: string | undefined): this {
    const { startsAt: _s, endsAt: _e, ...rest } = this.#rule;
    this.#rule = { ...rest, ...(startsAt && { startsAt }), ...(endsAt && { endsAt }) };
    return this;
  }

  updatedAt(updatedAt: string): this {
    return this.#with({ updatedAt });
  }

  atVersion(version: number): this {
    return this.#with({ version });
  }

  withContent(content: Record<string, unknown>): this {
    return this.#with({ content });
  }

  build(): ContentRule {
    return structuredClone(this.#rule);
  }

  /** The `ContentRuleDefined` event carrying this rule. */
  defined(): { type: string; data: ContentRule } {
    return { type: CONTENT_RULE_DEFINED, data: this.build() };
  }

  #with(change: Partial<ContentRule>): this {
    this.#rule = { ...this.#rule, ...change };
    return this;
  }
}

/** The `ContentRuleDeleted` event of a rule. */
export function ruleDeleted(id: string): { type: string; data: { id: string; deletedAt: string } } {
  return { type: CONTENT_RULE_DELETED, data: { id, deletedAt: '2026-02-01T00:00:00.000Z' } };
}
