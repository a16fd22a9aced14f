// @rivulet/client against a real runner server: typed calls, errors, start/stop and the live event stream.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { firstValueFrom, filter, take, timeout, toArray } from 'rxjs';
import { RivuletApiError, RivuletClient, type GraphDocumentBody } from '@rivulet/client';
import type { EdgeMetrics, RuntimeEvent } from '@rivulet/core';
import type {} from '@fastify/websocket';
import { startTestServer, type TestServer } from '../test-support/server.js';

const ticking: GraphDocumentBody = {
  rivulet: 1,
  id: 'ticking',
  name: 'Ticking',
  nodes: [
    { id: 'tick', type: 'basics/inject', params: { intervalMs: 20, expression: '{ n: n }' } },
    { id: 'double', type: 'basics/map', params: { expression: 'msg.n * 2' } },
    { id: 'print', type: 'basics/log', params: { level: 'debug' } },
  ],
  edges: [
    { from: 'tick.out', to: 'double.in' },
    { from: 'double.out', to: 'print.in' },
  ],
};

let server: TestServer;
let client: RivuletClient;
beforeEach(async () => {
  server = await startTestServer({ metricsIntervalMs: 100 });
  client = new RivuletClient({ baseUrl: server.baseUrl, token: server.token, WebSocket });
});
afterEach(async () => {
  await server.close();
});

describe('RivuletClient', () => {
  it('round-trips a graph through create, list, get, put and remove', async () => {
    expect(await client.graphs.create(ticking)).toEqual({ id: 'ticking', created: true, issues: [] });
    expect(await client.graphs.list()).toEqual([{ id: 'ticking', name: 'Ticking', state: 'stopped' }]);
    const stored = await client.graphs.get('ticking');
    expect(stored.nodes).toHaveLength(3);
    expect(await client.graphs.put('ticking', { ...stored, name: 'Renamed' })).toMatchObject({ created: false });
    expect((await client.graphs.get('ticking')).name).toBe('Renamed');
    expect(await client.validate('ticking')).toEqual({ ok: true, issues: [] });
    expect(await client.explain('ticking')).toEqual({ graphId: 'ticking', groups: [] });
    expect(await client.validate({ ...ticking, nodes: [] })).toMatchObject({ ok: false });
    expect(await client.graphs.remove('ticking')).toEqual({ id: 'ticking', deleted: true });
    expect(await client.graphs.list()).toEqual([]);
  });

  it('lists the catalogue with the basics node types and their ports', async () => {
    const catalogue = await client.catalogue();
    const map = catalogue.nodes.find((node) => node.type === 'basics/map');
    expect(map?.inputs['in']?.type).toBe('json');
    expect(catalogue.problems).toEqual([]);
  });

  it('throws RivuletApiError with status, code and issues', async () => {
    const missing = await client.graphs.get('nope').catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(RivuletApiError);
    expect(missing).toMatchObject({ status: 404, code: 'not-found' });

    const wrongToken = new RivuletClient({ baseUrl: server.baseUrl, token: 'wrong' });
    await expect(wrongToken.graphs.list()).rejects.toMatchObject({ status: 401, code: 'unauthorized' });

    await client.graphs.put('broken', { ...ticking, id: 'broken', nodes: [{ id: 'x', type: 'basics/mapp', params: {} }], edges: [] });
    const refused = await client.start('broken').catch((error: unknown) => error);
    expect(refused).toMatchObject({ status: 422, code: 'invalid-graph' });
    expect((refused as RivuletApiError).issues[0]).toMatchObject({ code: 'unknown-node-type', path: ['nodes', 0, 'type'] });

    const unreachable = new RivuletClient({ baseUrl: 'http://127.0.0.1:1', token: 't' });
    await expect(unreachable.catalogue()).rejects.toMatchObject({ status: 0, code: 'unreachable' });
  });

  it('starts a graph, streams its rising edge counters, and stops it', async () => {
    await client.graphs.put('ticking', ticking);
    let opened!: () => void;
    const open = new Promise<void>((resolve) => (opened = resolve));
    const events$ = client.events({ graph: 'ticking', onOpen: () => opened() });
    const metrics = firstValueFrom(
      events$.pipe(
        filter((event): event is Extract<RuntimeEvent, { type: 'metrics' }> => event.type === 'metrics'),
        take(3),
        toArray(),
        timeout(10_000),
      ),
    );
    // Subscribed first so no event is missed; the socket must be open before the graph starts.
    await Promise.race([open, new Promise((_, reject) => setTimeout(() => reject(new Error('event socket did not open')), 5_000))]);

    const started = await client.start('ticking');
    expect(started.graphId).toBe('ticking');
    expect(['starting', 'running']).toContain(started.state);
    await expect(client.start('ticking')).rejects.toMatchObject({ status: 409, code: 'graph-running' });

    const samples = await metrics;
    const counts = samples.map((sample) => sample.edges.find((edge: EdgeMetrics) => edge.id === 'tick.out->double.in')?.messages ?? 0);
    expect(counts[2]!).toBeGreaterThan(counts[0]!);

    const status = await client.status('ticking');
    expect(status.state).toBe('running');
    expect(status.nodes['tick']?.state).toBe('running');
    expect((await client.status()).map((graph) => graph.graphId)).toEqual(['ticking']);
    expect((await client.graphs.list())[0]).toMatchObject({ id: 'ticking', state: 'running' });

    const stopped = await client.stop('ticking');
    expect(stopped.state).toBe('stopped');
    expect((await client.status('ticking')).state).toBe('stopped');
    expect(await client.status()).toEqual([]);
  });

  it('only sends the events of the graph asked for', async () => {
    await client.graphs.put('ticking', ticking);
    await client.graphs.put('other', { ...ticking, id: 'other' });
    let opened!: () => void;
    const open = new Promise<void>((resolve) => (opened = resolve));
    const events = firstValueFrom(client.events({ graph: 'other', onOpen: () => opened() }).pipe(take(20), toArray(), timeout(10_000)));
    await open;
    await client.start('ticking');
    await client.start('other');
    expect(new Set((await events).map((event) => event.graphId))).toEqual(new Set(['other']));
  });

  it('reconnects the event stream after the server closes the socket', async () => {
    await client.graphs.put('ticking', ticking);
    await client.start('ticking');
    let opens = 0;
    const received: RuntimeEvent[] = [];
    const subscription = client.events({ graph: 'ticking', initialDelayMs: 50, onOpen: () => (opens += 1) }).subscribe((event) => received.push(event));
    try {
      const deadline = Date.now() + 10_000;
      while (opens < 1 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      for (const socket of server.app.websocketServer.clients) socket.terminate();
      while (opens < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(opens).toBe(2);
      const before = received.length;
      while (received.length === before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(received.length).toBeGreaterThan(before);
    } finally {
      subscription.unsubscribe();
    }
  });
});
