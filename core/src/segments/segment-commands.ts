import { randomBytes } from 'node:crypto';
import {
  checkCondition,
  findSegmentCycle,
  referencedSegments,
  SEGMENT_DEFINED,
  SEGMENT_DELETED,
  type Condition,
  type SegmentDefinition,
  type SegmentDeletedData,
} from '@uspa/projections';
import { streamOf } from '../domain/streams.js';
import { NotFoundError, UspaError, ValidationError } from '../errors/index.js';
import type { EventStore } from '../ports/event-store.port.js';
import type { SegmentDirectory } from './segment-directory.js';

export const SEGMENT_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/i;

export interface SegmentInput {
  id?: string;
  name: string;
  description?: string;
  condition: Condition;
}

/**
 * Define, redefine and delete segments: each is an event in `segment-<id>` (design §2: config is
 * event-sourced). A condition is checked before anything is written: its schema, its regexes,
 * the segments it refers to, and that it closes no cycle of references.
 */
export class SegmentCommands {
  constructor(
    private readonly store: EventStore,
    private readonly directory: SegmentDirectory,
  ) {}

  async define(body: unknown): Promise<SegmentDefinition> {
    const input = this.#input(body);
    const id = input.id ?? newSegmentId(input.name);
    if (this.directory.get(id)) {
      throw new UspaError(
        'segment_exists',
        409,
        `Segment ${id} exists; PUT /v1/segments/${id} redefines it`,
      );
    }
    this.#checkReferences(id, input.condition);
    const now = new Date().toISOString();
    const definition = { ...pick(input), id, version: 1, createdAt: now, updatedAt: now };
    await this.store.append(streamOf.segment(id), [{ type: SEGMENT_DEFINED, data: definition }]);
    this.directory.apply({ type: SEGMENT_DEFINED, data: definition, revision: 0 });
    return definition;
  }

  async redefine(id: string, body: unknown, ifMatch?: number): Promise<SegmentDefinition> {
    const current = this.directory.get(id);
    if (!current) throw new NotFoundError(`No segment ${id}`);
    if (ifMatch !== undefined && ifMatch !== current.version) {
      throw new UspaError(
        'version_mismatch',
        412,
        `Segment ${id} is at version ${current.version}, not ${ifMatch}`,
      );
    }
    const input = this.#input({ ...(body as object), id });
    this.#checkReferences(id, input.condition);
    const definition: SegmentDefinition = {
      ...pick(input),
      id,
      version: current.version + 1,
      createdAt: current.createdAt,
      updatedAt: new Date().toISOString(),
    };
    const revision = this.directory.revision(id);
    const result = await this.store.append(
      streamOf.segment(id),
      [{ type: SEGMENT_DEFINED, data: definition }],
      revision === undefined ? {} : { expectedRevision: revision },
    );
    this.directory.apply({
      type: SEGMENT_DEFINED,
      data: definition,
      revision: result.nextExpectedRevision,
    });
    return definition;
  }

  async delete(id: string): Promise<void> {
    if (!this.directory.get(id)) throw new NotFoundError(`No segment ${id}`);
    const dependants = this.directory
      .list()
      .filter((segment) => referencedSegments(segment.condition).includes(id));
    if (dependants.length > 0) {
      throw new UspaError(
        'segment_in_use',
        409,
        `Segment ${id} is used by ${dependants.map((s) => s.id).join(', ')}`,
      );
    }
    const data: SegmentDeletedData = { id, deletedAt: new Date().toISOString() };
    const result = await this.store.append(streamOf.segment(id), [{ type: SEGMENT_DELETED, data }]);
    this.directory.apply({ type: SEGMENT_DELETED, data, revision: result.nextExpectedRevision });
  }

  #input(body: unknown): SegmentInput {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new ValidationError('A segment is a JSON object with name and condition');
    }
    const input = body as Record<string, unknown>;
    const errors: string[] = [];
    if (input.id !== undefined && (typeof input.id !== 'string' || !SEGMENT_ID.test(input.id))) {
      errors.push('id: 1–64 letters, digits, - or _');
    }
    if (typeof input.name !== 'string' || input.name.trim() === '' || input.name.length > 200) {
      errors.push('name: a string of 1–200 characters');
    }
    if (
      input.description !== undefined &&
      (typeof input.description !== 'string' || input.description.length > 2000)
    ) {
      errors.push('description: a string of at most 2000 characters');
    }
    const checked = checkCondition(input.condition);
    if (!checked.ok) errors.push(...checked.errors.map(inCondition));
    if (errors.length > 0 || !checked.ok) {
      throw new ValidationError(`Invalid segment: ${errors.join('; ')}`, { errors });
    }
    return {
      ...(typeof input.id === 'string' ? { id: input.id } : {}),
      name: (input.name as string).trim(),
      ...(typeof input.description === 'string' ? { description: input.description } : {}),
      condition: checked.condition,
    };
  }

  #checkReferences(id: string, condition: Condition): void {
    const unknown = referencedSegments(condition).filter(
      (reference) => reference !== id && !this.directory.get(reference),
    );
    if (unknown.length > 0) {
      throw new ValidationError(`condition refers to unknown segments: ${unknown.join(', ')}`, {
        errors: unknown.map((reference) => `segment ${reference} does not exist`),
      });
    }
    const definitions = new Map(this.directory.list().map((s) => [s.id, s.condition]));
    definitions.set(id, condition);
    const cycle = findSegmentCycle(definitions);
    if (cycle) {
      throw new ValidationError(`condition makes a cycle of segments: ${cycle.join(' → ')}`, {
        errors: [`cycle: ${cycle.join(' → ')}`],
      });
    }
  }
}

/** `and[0].op: …` → `condition.and[0].op: …`, so the path names the request's field. */
function inCondition(error: string): string {
  if (/^[A-Za-z_][\w]*(\[\d+\])*[.:[]/.test(error)) return `condition.${error}`;
  if (error.startsWith('[')) return `condition${error}`;
  return `condition: ${error}`;
}

function pick(input: SegmentInput) {
  return {
    name: input.name,
    ...(input.description === undefined ? {} : { description: input.description }),
    condition: input.condition,
  };
}

/** `pricing-visitors-3f9a1c`: readable, and unique enough to never collide in practice. */
function newSegmentId(name: string): string {
  const slug = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);
  const suffix = randomBytes(4).toString('hex');
  return slug === '' ? `segment-${suffix}` : `${slug}-${suffix}`;
}
