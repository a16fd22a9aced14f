// Running graphs: start, stop, status, explain, the catalogue and the event socket.
import type { FastifyInstance } from 'fastify';
import { GraphError, RuntimeError, type GraphStatus } from '@rivulet/core';
import type { CatalogueResponse, ExplainResponse, StatusListResponse } from '@rivulet/client';
import { HttpError } from './http-error.js';
import { graphIdParam, storeFailure } from './graph-routes.js';
import { streamEvents } from './events-socket.js';
import type { ServerOptions } from './app.js';

type IdParams = { Params: { id: string } };

/** The status of a graph that is not running. */
export function stoppedStatus(graphId: string): GraphStatus {
  return { graphId, state: 'stopped', nodes: {}, edges: [] };
}

function graphRefused(error: unknown): never {
  if (error instanceof GraphError) throw new HttpError(422, 'invalid-graph', error.message, error.issues);
  if (error instanceof RuntimeError && error.code === 'graph-running') throw new HttpError(409, 'graph-running', error.message);
  throw error;
}

export async function runtimeRoutes(app: FastifyInstance, options: ServerOptions): Promise<void> {
  const { store, runtime, catalogue } = options;

  app.get('/api/catalogue', async (): Promise<CatalogueResponse> => ({ nodes: await catalogue.describe(), problems: catalogue.problems }));

  app.post<IdParams>('/api/graphs/:id/start', async (request): Promise<GraphStatus> => {
    const id = graphIdParam(request);
    const document = await store.read(id).catch(storeFailure);
    const running = await runtime.start(document).catch(graphRefused);
    return running.status();
  });

  app.post<IdParams>('/api/graphs/:id/stop', async (request): Promise<GraphStatus> => {
    const id = graphIdParam(request);
    const running = runtime.get(id);
    if (!running) {
      if (!(await store.exists(id))) throw new HttpError(404, 'not-found', `graph ${id} not found`);
      return stoppedStatus(id);
    }
    await running.stop();
    return running.status();
  });

  app.get<IdParams>('/api/graphs/:id/status', async (request): Promise<GraphStatus> => {
    const id = graphIdParam(request);
    const running = runtime.get(id);
    if (running) return running.status();
    if (!(await store.exists(id))) throw new HttpError(404, 'not-found', `graph ${id} not found`);
    return stoppedStatus(id);
  });

  app.get('/api/status', async (): Promise<StatusListResponse> => ({ graphs: runtime.list() }));

  app.get<IdParams>('/api/explain/:id', async (request): Promise<ExplainResponse> => {
    const id = graphIdParam(request);
    const document = await store.read(id).catch(storeFailure);
    try {
      return { graphId: id, groups: runtime.explain(document) };
    } catch (error) {
      return graphRefused(error);
    }
  });

  app.get<{ Querystring: { graph?: string } }>('/api/events', { websocket: true }, (socket, request) => {
    const graph = request.query.graph;
    streamEvents(socket, runtime.events$, typeof graph === 'string' && graph !== '' ? graph : undefined);
  });
}
