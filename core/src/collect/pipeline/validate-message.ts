import { Ajv } from 'ajv';
import type { TrackingEvent } from '@uspa/sdk';
import { trackingEventSchema } from './message.schema.js';
import { dlq, ok, type StepResult } from './step-result.js';

const ajv = new Ajv({ allErrors: false, strict: false });
const validate = ajv.compile<TrackingEvent>(trackingEventSchema);

/** Checks the call-specific fields of the Segment spec (a track needs `event`, …). */
export function validateMessage(event: TrackingEvent): StepResult<TrackingEvent> {
  if (validate(event)) return ok(event);
  const error = validate.errors?.[0];
  const field =
    error?.instancePath.slice(1) || (error?.params as { missingProperty?: string }).missingProperty;
  return dlq('invalid_message', `${field ?? 'message'} ${error?.message ?? 'is invalid'}`);
}
