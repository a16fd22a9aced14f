// The control API server: fastify with token auth, JSON errors, size limits, the graph and runtime routes.
import { existsSync } from 'node:fs';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import type { Catalogue, Runtime } from '@rivulet/core';
import type { ApiErrorBody } from '@rivulet/client';
import { requestToken, tokensEqual } from './auth.js';
import { codeForStatus, HttpError } from './http-error.js';
import { graphRoutes } from './graph-routes.js';
import { runtimeRoutes } from './runtime-routes.js';
import { indexPage } from './index-page.js';
import type { GraphStore } from './store.js';

export const BODY_LIMIT = 1024 * 1024;

export interface ServerOptions {
  readonly store: GraphStore;
  readonly runtime: Runtime;
  readonly catalogue: Catalogue;
  readonly token: string;
  /** The editor's built files; served at `/` when the folder exists. */
  readonly editorDir?: string;
}

function errorBody(code: string, message: string, extra: Partial<ApiErrorBody> = {}): ApiErrorBody {
  return { error: code, message, ...extra };
}

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: BODY_LIMIT, routerOptions: { maxParamLength: 256 }, return503OnClosing: true });

  // Our own JSON parser so a bad body gets the parser's own message (with its position).
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (error) {
      done(new HttpError(400, 'bad-json', `request body is not valid JSON: ${(error as Error).message}`), undefined);
    }
  });

  app.setErrorHandler((error: FastifyError | HttpError, _request, reply) => {
    if (error instanceof HttpError) {
      return reply.code(error.statusCode).send(errorBody(error.code, error.message, error.issues ? { issues: error.issues } : {}));
    }
    const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    const message = status >= 500 ? `internal error: ${error.message}` : error.message;
    return reply.code(status).send(errorBody(codeForStatus(status), message));
  });

  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send(errorBody('not-found', `no route ${request.method} ${request.url.split('?')[0]}`));
  });

  // Registered before the auth hook: its own onRequest hook marks upgrade requests, so a refused
  // upgrade's socket is closed after the 401 instead of lingering and holding close() up.
  await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 } });

  // Every API route needs the token. The check goes by the matched route's pattern, not the raw
  // URL, so no spelling of a path reaches an API handler without it. Static files (the editor
  // reads the token from its own URL) and unmatched paths (they only answer 404) are public.
  app.addHook('onRequest', async (request, reply) => {
    const route = request.routeOptions.url;
    if (route === undefined || !route.startsWith('/api/')) return;
    const given = requestToken(request.headers, request.url);
    if (given !== undefined && tokensEqual(given, options.token)) return;
    await reply
      .code(401)
      .send(errorBody('unauthorized', given === undefined ? 'missing token: send "Authorization: Bearer <token>" or ?token=<token>' : 'wrong token'));
  });

  await app.register(graphRoutes, options);
  await app.register(runtimeRoutes, options);

  if (options.editorDir && existsSync(options.editorDir)) {
    await app.register(fastifyStatic, { root: options.editorDir, prefix: '/', wildcard: true });
  } else {
    app.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(indexPage()));
  }
  return app;
}
