// Graph CRUD: the files in the store, secrets masked on the way out and restored on the way in.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { graphDocumentSchema, redactSecrets, restoreSecrets, validateGraph, type GraphIssue } from '@rivulet/core';
import type { DeleteGraphResponse, GraphDocumentBody, GraphListResponse, SaveGraphResponse, ValidateResponse } from '@rivulet/client';
import { HttpError } from './http-error.js';
import { isGraphId, StoreError } from './store.js';
import type { ServerOptions } from './app.js';

type IdParams = { Params: { id: string } };

/** The `:id` of a route, refused (400) unless it is a graph id: so it can never name a path outside the store. */
export function graphIdParam(request: FastifyRequest<IdParams>): string {
  const id = request.params.id;
  if (!isGraphId(id)) {
    throw new HttpError(400, 'invalid-id', `invalid graph id ${JSON.stringify(id.slice(0, 80))}: lowercase letters, digits, _ or -, starting with a letter or digit (at most 64)`);
  }
  return id;
}

/** Maps store errors to HTTP answers. */
export function storeFailure(error: unknown): never {
  if (error instanceof StoreError) {
    const status = { 'not-found': 404, exists: 409, 'invalid-id': 400, unreadable: 422 }[error.code];
    throw new HttpError(status, error.code === 'unreadable' ? 'unreadable-graph' : error.code, error.message);
  }
  throw error;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Node-level issues of a document (empty when it would run). */
export function issuesOf(document: unknown, options: ServerOptions): readonly GraphIssue[] {
  const result = validateGraph(document, options.catalogue);
  return result.ok ? [] : result.issues;
}

export async function graphRoutes(app: FastifyInstance, options: ServerOptions): Promise<void> {
  const { store, runtime, catalogue } = options;

  /** Checks the body is a structurally valid graph whose id is `id`, then saves it (secrets restored). */
  async function save(id: string, body: unknown, mustBeNew: boolean): Promise<SaveGraphResponse> {
    if (!isRecord(body)) throw new HttpError(400, 'invalid-document', 'the body must be a graph document (a JSON object)');
    if (body['id'] !== id) {
      throw new HttpError(400, 'id-mismatch', `the document's id ${JSON.stringify(body['id'])} does not match the graph id ${JSON.stringify(id)} in the URL`);
    }
    const structure = graphDocumentSchema.safeParse(body);
    if (!structure.success) {
      const issues = issuesOf(body, options).filter((issue) => issue.code === 'invalid-document');
      throw new HttpError(400, 'invalid-document', `graph ${id} does not follow the graph format`, issues.length > 0 ? issues : undefined);
    }
    let stored: unknown;
    const existed = await store.exists(id);
    if (existed) {
      if (mustBeNew) throw new HttpError(409, 'exists', `graph ${id} already exists; PUT /api/graphs/${id} replaces it`);
      stored = await store.read(id).catch(() => undefined);
    }
    const document = restoreSecrets(body, stored, catalogue);
    await store.write(id, document);
    return { id, created: !existed, issues: issuesOf(document, options) };
  }

  app.get('/api/graphs', async (): Promise<GraphListResponse> => {
    const stored = await store.list();
    return {
      graphs: stored.map(({ id, document, problem }) => {
        const name = isRecord(document) && typeof document['name'] === 'string' ? document['name'] : '';
        const state = runtime.get(id)?.status().state ?? 'stopped';
        return problem ? { id, name, state, problem } : { id, name, state };
      }),
    };
  });

  app.get<IdParams>('/api/graphs/:id', async (request): Promise<GraphDocumentBody> => {
    const id = graphIdParam(request);
    const document = await store.read(id).catch(storeFailure);
    return redactSecrets(document, catalogue) as GraphDocumentBody;
  });

  app.put<IdParams>('/api/graphs/:id', async (request, reply): Promise<SaveGraphResponse> => {
    const id = graphIdParam(request);
    const saved = await save(id, request.body, false);
    reply.code(saved.created ? 201 : 200);
    return saved;
  });

  app.post('/api/graphs', async (request, reply): Promise<SaveGraphResponse> => {
    const body = request.body;
    const id = isRecord(body) ? body['id'] : undefined;
    if (typeof id !== 'string' || !isGraphId(id)) {
      throw new HttpError(400, 'invalid-id', `the document needs an "id": lowercase letters, digits, _ or -, starting with a letter or digit (at most 64)`);
    }
    const saved = await save(id, body, true);
    reply.code(201);
    return saved;
  });

  app.delete<IdParams>('/api/graphs/:id', async (request): Promise<DeleteGraphResponse> => {
    const id = graphIdParam(request);
    // Through the running graph itself: it may stop on its own meanwhile, and stop() is then a no-op.
    await runtime.get(id)?.stop();
    await store.remove(id).catch(storeFailure);
    return { id, deleted: true };
  });

  app.post<IdParams>('/api/graphs/:id/validate', async (request): Promise<ValidateResponse> => {
    const id = graphIdParam(request);
    const document = await store.read(id).catch(storeFailure);
    const issues = issuesOf(document, options);
    return { ok: issues.length === 0, issues };
  });

  app.post('/api/validate', async (request): Promise<ValidateResponse> => {
    const issues = issuesOf(request.body, options);
    return { ok: issues.length === 0, issues };
  });
}
