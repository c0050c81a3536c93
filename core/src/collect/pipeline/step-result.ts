/**
 * What a pipeline step decides for one message: carry on, drop it on purpose (counted, not
 * stored), or refuse it (stored in the dead-letter stream with its reason).
 */
export type StepResult<T> =
  | { kind: 'ok'; value: T }
  | { kind: 'drop'; reason: string }
  | { kind: 'dlq'; reason: string; detail?: string };

export const ok = <T>(value: T): StepResult<T> => ({ kind: 'ok', value });
export const drop = (reason: string): StepResult<never> => ({ kind: 'drop', reason });
export const dlq = (reason: string, detail?: string): StepResult<never> => ({
  kind: 'dlq',
  reason,
  detail,
});
