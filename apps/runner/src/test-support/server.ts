// Test support: a real control API server on 127.0.0.1 port 0 over a temp folder, and raw HTTP helpers.
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { Catalogue, defineNode, definePlugin, port, Runtime, secret } from '@rivulet/core';
import basics from '@rivulet/plugin-basics';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../server/app.js';
import { GraphStore } from '../server/store.js';

/** A node type with a secret param, to check that secrets never leave the server. */
export const secretSink = defineNode({
  type: 'test/secret-sink',
  title: 'Sink with a secret',
  category: 'test',
  params: z.object({ url: z.string(), apiKey: secret(z.string().min(1)) }),
  inputs: { in: port('json') },
  create: () => ({}),
});

export const testPlugin = definePlugin({ name: '@rivulet/test-plugin', nodes: [secretSink] });

export interface TestServer {
  readonly baseUrl: string;
  readonly port: number;
  readonly token: string;
  readonly dir: string;
  readonly store: GraphStore;
  readonly runtime: Runtime;
  readonly app: FastifyInstance;
  close(): Promise<void>;
}

export async function startTestServer(options: { token?: string; metricsIntervalMs?: number; editorDir?: string } = {}): Promise<TestServer> {
  const dir = await mkdtemp(join(tmpdir(), 'rivulet-api-'));
  const store = new GraphStore(join(dir, 'graphs'));
  await store.init();
  const catalogue = new Catalogue([basics, testPlugin]);
  const runtime = new Runtime({ catalogue, metricsIntervalMs: options.metricsIntervalMs ?? 100 });
  const token = options.token ?? 'test-token-0123456789abcdef';
  const app = await buildServer({ store, runtime, catalogue, token, editorDir: options.editorDir ?? join(dir, 'no-editor') });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const listening = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    baseUrl: `http://127.0.0.1:${listening}`,
    port: listening,
    token,
    dir,
    store,
    runtime,
    app,
    async close() {
      await runtime.stopAll();
      await app.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
  json(): unknown;
}

/** An HTTP request whose path is sent exactly as given (no URL normalisation), bounded in time. */
export function rawRequest(
  server: { port: number },
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string | Buffer; timeoutMs?: number } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: server.port, method, path, headers: options.headers, timeout: options.timeoutMs ?? 5_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) as unknown });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer in time`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Writes raw bytes to the server and resolves with whatever comes back before it closes (bounded). */
export function rawBytes(server: { port: number }, bytes: Buffer, timeoutMs = 2_000): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port: server.port });
    const chunks: Buffer[] = [];
    const finish = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(Buffer.concat(chunks).toString('latin1'));
    };
    const timer = setTimeout(finish, timeoutMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', finish);
    socket.on('close', finish);
    socket.write(bytes, () => socket.end());
  });
}

export function authHeaders(token: string, json = true): Record<string, string> {
  return { authorization: `Bearer ${token}`, ...(json ? { 'content-type': 'application/json' } : {}) };
}
