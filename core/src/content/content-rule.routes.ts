import { Router, type Request, type Response } from 'express';
import {
  CONTENT_RULE_DEFINED,
  CONTENT_RULE_DELETED,
  type ContentRule,
} from '../domain/content-rules.js';
import { NotFoundError, ValidationError } from '../errors/index.js';
import { requireSecretKey } from '../http/authenticate.js';
import { readJsonBody } from '../http/read-body.js';
import type { ApiKeyDirectory } from '../keys/api-key-directory.js';
import type { EventStore } from '../ports/event-store.port.js';
import {
  createContentRule,
  deleteContentRule,
  replaceContentRule,
  type ExpectedVersion,
} from './content-rule-commands.js';
import type { ContentRuleDirectory } from './content-rule-directory.js';
import { contentRuleValidator, type ConditionCheck } from './content-rule-validation.js';

/** Room for 16 KB of content plus a sizeable condition. */
const BODY_LIMIT = 64 * 1024;

export interface ContentRuleRoutesDependencies {
  store: EventStore;
  keys: ApiKeyDirectory;
  rules: ContentRuleDirectory;
  /** The segment condition checker, so rules accept exactly what segments accept. */
  checkCondition: ConditionCheck;
}

/**
 * The content rules admin API (secret key with the `admin` scope). Each change is an event in
 * `contentrule-<id>`, so the history is kept. Answers carry `ETag: "<version>"`; `PUT` and
 * `DELETE` honour `If-Match: "<version>"` and answer 412 when the rule has changed since. Content
 * is stored as given (an `html` field included): the browser SDK sanitises it before rendering.
 *
 * - `POST /v1/content-rules` → 201, `Location`, the rule with its server-generated id
 * - `GET /v1/content-rules[?slot=hero]` → `{ contentRules: [...] }`
 * - `GET /v1/content-rules/:id` → the rule, or 404
 * - `PUT /v1/content-rules/:id` → the replaced rule; 404 if absent
 * - `DELETE /v1/content-rules/:id` → 204; 404 if absent
 *
 * @example
 * app.use(contentRuleRoutes({ store, keys, rules, checkCondition }));
 */
export function contentRuleRoutes(dependencies: ContentRuleRoutesDependencies): Router {
  const { store, keys, rules } = dependencies;
  const validate = contentRuleValidator(dependencies.checkCondition);
  const readRule = async (request: Request) => {
    const checked = validate(await readJsonBody(request, BODY_LIMIT));
    if (!checked.ok) {
      throw new ValidationError(`The content rule is invalid: ${checked.errors.join('; ')}`, {
        errors: checked.errors,
      });
    }
    return checked.input;
  };

  const router = Router();
  router.post('/v1/content-rules', async (request, response) => {
    requireSecretKey(keys, request, 'admin');
    const rule = await createContentRule(store, await readRule(request));
    rules.apply({ type: CONTENT_RULE_DEFINED, data: rule });
    response.status(201).location(`/v1/content-rules/${rule.id}`);
    send(response, rule);
  });
  router.get('/v1/content-rules', (request, response) => {
    requireSecretKey(keys, request, 'admin');
    const slot = request.query.slot;
    const contentRules = rules.list(typeof slot === 'string' ? { slot } : {});
    response.json({ contentRules });
  });
  router.get('/v1/content-rules/:id', (request, response) => {
    requireSecretKey(keys, request, 'admin');
    const rule = rules.get(request.params.id);
    if (!rule) throw new NotFoundError(`No content rule ${request.params.id}`);
    send(response, rule);
  });
  router.put('/v1/content-rules/:id', async (request, response) => {
    requireSecretKey(keys, request, 'admin');
    const expected = expectedVersion(request);
    const input = await readRule(request);
    const rule = await replaceContentRule(store, request.params.id, input, expected);
    rules.apply({ type: CONTENT_RULE_DEFINED, data: rule });
    send(response, rule);
  });
  router.delete('/v1/content-rules/:id', async (request, response) => {
    requireSecretKey(keys, request, 'admin');
    const deleted = await deleteContentRule(store, request.params.id, expectedVersion(request));
    rules.apply({ type: CONTENT_RULE_DELETED, data: deleted });
    response.status(204).end();
  });
  return router;
}

function send(response: Response, rule: ContentRule): void {
  response.setHeader('ETag', `"${rule.version}"`);
  response.json(rule);
}

/** `If-Match: "3"`; `*` or no header means "whatever the current version". */
function expectedVersion(request: Request): ExpectedVersion {
  const header = request.headers['if-match']?.trim();
  if (header === undefined || header === '*') return {};
  const match = /^"(\d{1,9})"$/.exec(header);
  if (!match) {
    throw new ValidationError('If-Match must be a rule version as its ETag gives it, e.g. "3"', {
      errors: ['If-Match must be a rule version such as "3"'],
    });
  }
  return { ifMatch: Number(match[1]) };
}
