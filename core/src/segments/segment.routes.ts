import { Router, type Request } from 'express';
import { checkCondition } from '@uspa/projections';
import { NotFoundError, ValidationError } from '../errors/index.js';
import { requireSecretKey } from '../http/authenticate.js';
import { readJsonBody } from '../http/read-body.js';
import type { ApiKeyDirectory } from '../keys/api-key-directory.js';
import type { SegmentCommands } from './segment-commands.js';
import type { SegmentDirectory } from './segment-directory.js';
import type { SegmentQueries } from './segment-queries.js';

const BODY_LIMIT = 64 * 1024;

/**
 * The segments API (design §8): define, list, show, redefine and delete segments (each change an
 * event in `segment-<id>`), preview a condition now, page through a segment's members.
 */
export function segmentRoutes(
  keys: ApiKeyDirectory,
  directory: SegmentDirectory,
  commands: SegmentCommands,
  queries: SegmentQueries | undefined,
): Router {
  const router = Router();
  const read = (): SegmentQueries => {
    if (!queries) throw new ValidationError('Projections are disabled in this process');
    return queries;
  };
  const withStatus = async (id: string) => {
    const segment = directory.get(id);
    if (!segment) throw new NotFoundError(`No segment ${id}`);
    if (!queries) return segment;
    const [status, members] = await Promise.all([queries.status(id), queries.memberCount(id)]);
    return { ...segment, status, members };
  };

  router.post('/v1/segments/preview', async (request, response) => {
    requireSecretKey(keys, request, 'admin');
    const body = (await readJsonBody(request, BODY_LIMIT)) as { condition?: unknown } | null;
    const checked = checkCondition(body?.condition);
    if (!checked.ok) {
      throw new ValidationError(`Invalid condition: ${checked.errors.join('; ')}`, {
        errors: checked.errors,
      });
    }
    response.json(await read().preview(checked.condition, Date.now()));
  });
  router.post('/v1/segments', async (request, response) => {
    requireSecretKey(keys, request, 'admin');
    const segment = await commands.define(await readJsonBody(request, BODY_LIMIT));
    response.status(201).location(`/v1/segments/${segment.id}`).json(segment);
  });
  router.get('/v1/segments', async (request, response) => {
    requireSecretKey(keys, request, 'admin');
    const segments = await Promise.all(directory.list().map((s) => withStatus(s.id)));
    response.json({ segments });
  });
  router.get('/v1/segments/:id', async (request, response) => {
    requireSecretKey(keys, request, 'admin');
    response.json(await withStatus(String(request.params.id)));
  });
  router.put('/v1/segments/:id', async (request, response) => {
    requireSecretKey(keys, request, 'admin');
    const body = await readJsonBody(request, BODY_LIMIT);
    const segment = await commands.redefine(String(request.params.id), body, ifMatch(request));
    response.json(segment);
  });
  router.delete('/v1/segments/:id', async (request, response) => {
    requireSecretKey(keys, request, 'admin');
    await commands.delete(String(request.params.id));
    response.status(204).end();
  });
  router.get('/v1/segments/:id/members', async (request, response) => {
    requireSecretKey(keys, request, 'admin');
    const id = String(request.params.id);
    if (!directory.get(id)) throw new NotFoundError(`No segment ${id}`);
    const size = request.query.size === undefined ? 50 : Number(request.query.size);
    if (!Number.isInteger(size) || size < 1 || size > 1000) {
      throw new ValidationError('size must be an integer from 1 to 1000');
    }
    const after = typeof request.query.after === 'string' ? request.query.after : undefined;
    const page = await read().members(id, { size, ...(after ? { after } : {}) });
    response.json({
      members: page.hits.map((hit) => hit.document),
      total: page.total,
      ...(page.next ? { next: page.next } : {}),
    });
  });
  return router;
}

/** `If-Match: "3"` (or 3): the version the caller last saw. */
function ifMatch(request: Request): number | undefined {
  const header = request.headers['if-match'];
  if (header === undefined) return undefined;
  const version = Number(String(header).replaceAll('"', '').replace(/^W\//, ''));
  if (!Number.isInteger(version) || version < 1) {
    throw new ValidationError('If-Match must be a segment version, e.g. "3"');
  }
  return version;
}
