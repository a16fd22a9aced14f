// The control API against a real server on 127.0.0.1: auth, id checks, malformed input, CRUD and secrets.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { SECRET_MASK } from '@rivulet/core';
import { authHeaders, rawBytes, rawRequest, startTestServer, type TestServer } from '../test-support/server.js';

const graph = (id: string, extra: Record<string, unknown> = {}) => ({
  rivulet: 1,
  id,
  name: `Graph ${id}`,
  nodes: [
    { id: 'tick', type: 'basics/inject', params: { intervalMs: 50, expression: '{ n: n }' } },
    { id: 'print', type: 'basics/log', params: {} },
  ],
  edges: [{ from: 'tick.out', to: 'print.in' }],
  ...extra,
});

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.close();
});

describe('authentication', () => {
  it('answers 401 JSON to every API route called without the token or with a wrong one', async () => {
    const routes: [string, string][] = [
      ['GET', '/api/catalogue'],
      ['GET', '/api/graphs'],
      ['GET', '/api/graphs/demo'],
      ['PUT', '/api/graphs/demo'],
      ['DELETE', '/api/graphs/demo'],
      ['POST', '/api/graphs/demo/start'],
      ['GET', '/api/status'],
      ['GET', '/api/events'],
    ];
    for (const [method, path] of routes) {
      const missing = await rawRequest(server, method, path);
      expect(missing.status, `${method} ${path}`).toBe(401);
      expect(missing.json()).toMatchObject({ error: 'unauthorized' });
      const wrong = await rawRequest(server, method, `${path}?token=nope`, { headers: { authorization: 'Bearer also-wrong' } });
      expect(wrong.status, `${method} ${path}`).toBe(401);
    }
  });

  it('refuses the event socket upgrade without the token', async () => {
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}/api/events?token=wrong`);
    try {
      const status = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no answer to the upgrade')), 5_000);
        socket.on('unexpected-response', (_request, response) => {
          clearTimeout(timer);
          resolve(response.statusCode ?? 0);
        });
        socket.on('open', () => {
          clearTimeout(timer);
          reject(new Error('the socket opened without the token'));
        });
        socket.on('error', () => undefined);
      });
      expect(status).toBe(401);
    } finally {
      socket.terminate();
    }
  });

  it('accepts the token as a Bearer header or as a token query parameter', async () => {
    expect((await rawRequest(server, 'GET', '/api/graphs', { headers: authHeaders(server.token, false) })).status).toBe(200);
    expect((await rawRequest(server, 'GET', `/api/graphs?token=${server.token}`)).status).toBe(200);
  });

  it('serves the index page without a token and answers unknown routes with 404 JSON', async () => {
    const index = await rawRequest(server, 'GET', '/');
    expect(index.status).toBe(200);
    expect(index.body).toContain('/api/catalogue');
    const unknown = await rawRequest(server, 'GET', '/nothing/here');
    expect(unknown.status).toBe(404);
    expect(unknown.json()).toMatchObject({ error: 'not-found' });
  });
});

describe('the editor', () => {
  it('serves the built editor without a token while the API behind it still needs one', async () => {
    const editorDir = await mkdtemp(join(tmpdir(), 'rivulet-editor-'));
    let withEditor: TestServer | undefined;
    try {
      await mkdir(join(editorDir, 'assets'));
      await writeFile(join(editorDir, 'index.html'), '<!doctype html><title>Rivulet editor</title>');
      await writeFile(join(editorDir, 'assets', 'app.js'), 'console.log(1)');
      withEditor = await startTestServer({ editorDir });
      const page = await rawRequest(withEditor, 'GET', '/');
      expect(page.status).toBe(200);
      expect(page.body).toContain('Rivulet editor');
      expect((await rawRequest(withEditor, 'GET', '/assets/app.js')).status).toBe(200);
      expect((await rawRequest(withEditor, 'GET', '/api/graphs')).status).toBe(401);
      expect((await rawRequest(withEditor, 'GET', '/assets/missing.js')).status).toBe(404);
    } finally {
      await withEditor?.close();
      await rm(editorDir, { recursive: true, force: true });
    }
  });
});

describe('graph ids', () => {
  it('refuses ids that could name a path outside the graphs folder', async () => {
    const escapes = ['%2e%2e', '..%2Fsecret', '%2e%2e%2f%2e%2e%2fetc%2fpasswd', 'a%2Fb', '%2Fetc%2Fpasswd', 'UPPER', '.hidden', 'a%00b', 'a%5Cb'];
    for (const id of escapes) {
      const answer = await rawRequest(server, 'GET', `/api/graphs/${id}`, { headers: authHeaders(server.token, false) });
      expect(answer.status, id).toBe(400);
      expect(answer.json(), id).toMatchObject({ error: 'invalid-id' });
    }
    // Raw dot segments and extra slashes never reach a graph route at all.
    for (const path of ['/api/graphs/../../etc/passwd', '/api/graphs/a/b', '/api/graphs//etc/passwd']) {
      const answer = await rawRequest(server, 'GET', path, { headers: authHeaders(server.token, false) });
      expect(answer.status, path).toBe(404);
    }
    expect(await readdir(server.store.dir)).toEqual([]);
  });
});

describe('malformed requests', () => {
  it('survives 1,000 malformed requests and still answers a good one', async () => {
    const headers = authHeaders(server.token);
    const huge = Buffer.alloc(1024 * 1024 + 100, 0x20);
    const kinds = [
      () => rawBytes(server, randomBytes(64 + Math.floor(Math.random() * 512))),
      () => rawRequest(server, 'PUT', '/api/graphs/fuzz', { headers, body: `{"rivulet": 1, "id": "fuzz", ${randomBytes(8).toString('hex')}` }),
      () => rawRequest(server, 'POST', '/api/validate', { headers, body: randomBytes(200) }),
      () => rawRequest(server, 'PUT', `/api/graphs/${encodeURIComponent('../' + randomBytes(4).toString('hex'))}`, { headers, body: '{}' }),
      () => rawRequest(server, ['PATCH', 'PROPFIND', 'TRACE', 'OPTIONS'][Math.floor(Math.random() * 4)]!, '/api/graphs/x', { headers }),
      () => rawRequest(server, 'POST', '/api/graphs', { headers, body: JSON.stringify({ nodes: 'no', id: 42 }) }),
      () => rawRequest(server, 'PUT', '/api/graphs/fuzz', { headers: { ...headers, 'content-type': 'text/plain' }, body: 'hello' }),
      () => rawRequest(server, 'PUT', '/api/graphs/fuzz', { headers, body: JSON.stringify([1, 2, 3]) }),
      () => rawRequest(server, 'GET', `/api/graphs/${'x'.repeat(300)}`, { headers }),
    ];
    const statuses = new Map<number, number>();
    let served = 0;
    const total = 1000;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < total) {
        const i = next++;
        // A few 1 MiB bodies are enough to prove the limit; a thousand would only load the machine.
        const send = i % 100 === 0 ? () => rawRequest(server, 'PUT', '/api/graphs/fuzz', { headers, body: huge }) : kinds[i % kinds.length]!;
        const answer = await send().catch(() => undefined);
        if (answer !== undefined && typeof answer !== 'string') {
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
          served += 1;
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    // No malformed request made the server fail on its side.
    expect([...statuses.keys()].filter((status) => status >= 500)).toEqual([]);
    expect(statuses.get(413)).toBeGreaterThanOrEqual(1);
    expect(statuses.get(400)).toBeGreaterThan(100);
    expect(served).toBeGreaterThan(800);
    const good = await rawRequest(server, 'PUT', '/api/graphs/after-fuzz', { headers, body: JSON.stringify(graph('after-fuzz')) });
    expect(good.status).toBe(201);
    expect(await server.store.ids()).toEqual(['after-fuzz']);
  });

  it('answers bad JSON with 400 and the parser message, and bodies over 1 MiB with 413', async () => {
    const headers = authHeaders(server.token);
    const bad = await rawRequest(server, 'POST', '/api/validate', { headers, body: '{"rivulet": 1,, }' });
    expect(bad.status).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'bad-json', message: expect.stringMatching(/not valid JSON: .*position|JSON/) });
    const big = await rawRequest(server, 'POST', '/api/validate', { headers, body: Buffer.alloc(1024 * 1024 + 1, 0x20) });
    expect(big.status).toBe(413);
    expect(big.json()).toMatchObject({ error: 'body-too-large' });
  });
});

describe('graph CRUD', () => {
  it('creates, lists, reads, replaces and deletes a graph file, writing atomically', async () => {
    const headers = authHeaders(server.token);
    const created = await rawRequest(server, 'POST', '/api/graphs', { headers, body: JSON.stringify(graph('one')) });
    expect(created.status).toBe(201);
    expect(created.json()).toEqual({ id: 'one', created: true, issues: [] });
    expect((await rawRequest(server, 'POST', '/api/graphs', { headers, body: JSON.stringify(graph('one')) })).status).toBe(409);

    const list = await rawRequest(server, 'GET', '/api/graphs', { headers });
    expect(list.json()).toEqual({ graphs: [{ id: 'one', name: 'Graph one', state: 'stopped' }] });

    const replaced = await rawRequest(server, 'PUT', '/api/graphs/one', { headers, body: JSON.stringify(graph('one', { name: 'Renamed' })) });
    expect(replaced.status).toBe(200);
    expect(replaced.json()).toMatchObject({ created: false });
    const read = await rawRequest(server, 'GET', '/api/graphs/one', { headers });
    expect(read.json()).toMatchObject({ id: 'one', name: 'Renamed', nodes: [{ id: 'tick' }, { id: 'print' }] });
    // Only the graph file is left: the temp file was renamed over it.
    expect(await readdir(server.store.dir)).toEqual(['one.json']);
    expect(JSON.parse(await readFile(`${server.store.dir}/one.json`, 'utf8'))).toMatchObject({ name: 'Renamed' });

    const mismatch = await rawRequest(server, 'PUT', '/api/graphs/one', { headers, body: JSON.stringify(graph('two')) });
    expect(mismatch.status).toBe(400);
    expect(mismatch.json()).toMatchObject({ error: 'id-mismatch' });

    expect((await rawRequest(server, 'DELETE', '/api/graphs/one', { headers })).json()).toEqual({ id: 'one', deleted: true });
    expect((await rawRequest(server, 'GET', '/api/graphs/one', { headers })).status).toBe(404);
    expect(await readdir(server.store.dir)).toEqual([]);
  });

  it('leaves one whole graph file and no temp files after 20 concurrent writes of the same graph', async () => {
    const headers = authHeaders(server.token);
    const names = Array.from({ length: 20 }, (_, i) => `Version ${i}`);
    const answers = await Promise.all(names.map((name) => rawRequest(server, 'PUT', '/api/graphs/busy', { headers, body: JSON.stringify(graph('busy', { name, description: 'x'.repeat(Number(name.split(' ')[1]) * 400) })) })));
    expect(answers.filter((answer) => answer.status !== 200 && answer.status !== 201).map((answer) => answer.body)).toEqual([]);
    expect(await readdir(server.store.dir)).toEqual(['busy.json']);
    const onDisk = JSON.parse(await readFile(`${server.store.dir}/busy.json`, 'utf8')) as { name: string };
    expect(names).toContain(onDisk.name);
  });

  it('saves a half-built graph with its node-level issues, but refuses one that breaks the format', async () => {
    const headers = authHeaders(server.token);
    const halfBuilt = graph('draft', { nodes: [{ id: 'm', type: 'basics/map', params: {} }], edges: [] });
    const saved = await rawRequest(server, 'PUT', '/api/graphs/draft', { headers, body: JSON.stringify(halfBuilt) });
    expect(saved.status).toBe(201);
    const body = saved.json() as { issues: { code: string; path: unknown[] }[] };
    expect(body.issues.map((issue) => issue.code)).toContain('invalid-param');
    expect(await server.store.ids()).toEqual(['draft']);

    const broken = await rawRequest(server, 'PUT', '/api/graphs/bad', { headers, body: JSON.stringify({ rivulet: 2, id: 'bad', nodes: {} }) });
    expect(broken.status).toBe(400);
    expect(broken.json()).toMatchObject({ error: 'invalid-document' });
    expect(await server.store.ids()).toEqual(['draft']);

    const validated = await rawRequest(server, 'POST', '/api/graphs/draft/validate', { headers });
    expect(validated.json()).toMatchObject({ ok: false });
    const unsaved = await rawRequest(server, 'POST', '/api/validate', { headers, body: JSON.stringify(graph('fine')) });
    expect(unsaved.json()).toEqual({ ok: true, issues: [] });
  });

  it('masks secret params in answers and keeps the stored secret when the mask comes back', async () => {
    const headers = authHeaders(server.token);
    const withSecret = graph('secret', {
      nodes: [
        { id: 'tick', type: 'basics/inject', params: { intervalMs: 1000 } },
        { id: 'sink', type: 'test/secret-sink', params: { url: 'https://example.test', apiKey: 'hunter2-very-secret' } },
      ],
      edges: [{ from: 'tick.out', to: 'sink.in' }],
    });
    expect((await rawRequest(server, 'PUT', '/api/graphs/secret', { headers, body: JSON.stringify(withSecret) })).status).toBe(201);

    const read = await rawRequest(server, 'GET', '/api/graphs/secret', { headers });
    expect(read.body).not.toContain('hunter2');
    const document = read.json() as { nodes: { id: string; params: Record<string, unknown> }[]; name: string };
    expect(document.nodes[1]!.params['apiKey']).toBe(SECRET_MASK);

    // The editor sends back what it got (mask included) with an unrelated change.
    document.name = 'Edited';
    const put = await rawRequest(server, 'PUT', '/api/graphs/secret', { headers, body: JSON.stringify(document) });
    expect(put.json()).toMatchObject({ created: false, issues: [] });
    const onDisk = JSON.parse(await readFile(`${server.store.dir}/secret.json`, 'utf8')) as typeof document;
    expect(onDisk.name).toBe('Edited');
    expect(onDisk.nodes[1]!.params['apiKey']).toBe('hunter2-very-secret');
  });
});
