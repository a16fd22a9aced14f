import { createConnection, createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { interval, map, Observable, scan, timer } from 'rxjs';
import { z } from 'zod';
import { defineNode, definePlugin } from '../plugin/define.js';
import { port } from '../plugin/port.js';
import { HarnessError, runGraph, runNode } from './index.js';

const scale = defineNode({
  type: 'demo/scale',
  title: 'Scale',
  category: 'demo',
  params: z.object({ factor: z.number().default(2) }),
  inputs: { in: port<number>('json') },
  outputs: { out: port<number>('json'), total: port<number>('json') },
  create(ctx) {
    ctx.status('running', `x${ctx.params.factor}`);
    return {
      outputs: {
        out: ctx.inputs.in.pipe(map((v) => v * ctx.params.factor)),
        total: ctx.inputs.in.pipe(scan((sum, v) => sum + v, 0)),
      },
    };
  },
});

const ticker = defineNode({
  type: 'demo/ticker',
  title: 'Ticker',
  category: 'demo',
  params: z.object({ everyMs: z.number().default(5) }),
  outputs: { out: port<number>('json') },
  create: (ctx) => ({ outputs: { out: interval(ctx.params.everyMs) } }),
});

const broken = defineNode({
  type: 'demo/broken',
  title: 'Broken',
  category: 'demo',
  params: z.object({}),
  inputs: { in: port<number>('json') },
  outputs: { out: port<number>('json') },
  create: (ctx) => ({
    outputs: {
      out: ctx.inputs.in.pipe(
        map((v) => {
          if (v === 2) throw new Error('two is not allowed');
          return v;
        }),
      ),
    },
  }),
});

/** A sink that opens a TCP server, to show the harness stops what a node started. */
let lastPort = 0;
const listener = defineNode({
  type: 'demo/listener',
  title: 'Listener',
  category: 'demo',
  params: z.object({}),
  inputs: { in: port('any') },
  async create() {
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    lastPort = (server.address() as { port: number }).port;
    return { dispose: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  },
});

describe('runNode', () => {
  it('feeds the inputs, waits for every output to complete and returns what came out', async () => {
    const { outputs, statuses, final } = await runNode(scale, { params: { factor: 3 }, inputs: { in: [1, 2, 3] } });
    expect(outputs.out).toEqual([3, 6, 9]);
    expect(outputs.total).toEqual([1, 3, 6]);
    expect(statuses).toEqual([
      { state: 'starting', restarts: 0 },
      { state: 'running', text: 'x3', restarts: 0 },
      { state: 'stopped', restarts: 0 },
    ]);
    expect(final.state).toBe('stopped');
  });

  it('accepts an Observable as input and stops after the take counts', async () => {
    const { outputs } = await runNode(scale, { inputs: { in: timer(0, 2).pipe(map((i) => i + 1)) }, take: { out: 4 } });
    expect(outputs.out).toEqual([2, 4, 6, 8]);
  });

  it('takes from a source node without inputs', async () => {
    const { outputs } = await runNode(ticker, { params: { everyMs: 1 }, take: { out: 3 } });
    expect(outputs.out).toEqual([0, 1, 2]);
  });

  it('times out with a message listing what arrived', async () => {
    const error = await runNode(scale, { inputs: { in: new Observable<number>((s) => s.next(5)) }, timeoutMs: 200 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HarnessError);
    expect((error as HarnessError).message).toBe(
      'runNode(demo/scale): timed out after 200 ms waiting for node.out, node.total to complete; arrived: node.out: 1 value(s) [ 10 ]; node.total: 1 value(s) [ 5 ]; node status: { state: \'stopped\', restarts: 0 }',
    );
  });

  it('reports a node error, or returns it when allowed', async () => {
    await expect(runNode(broken, { inputs: { in: [1, 2, 3] } })).rejects.toThrow('graph stopped with an error: node node (demo/broken) failed: two is not allowed');
    const { outputs, final } = await runNode(broken, { inputs: { in: [1, 2, 3] }, allowError: true });
    expect(outputs.out).toEqual([1]);
    expect(final).toMatchObject({ state: 'error', nodes: { node: { state: 'error', text: 'two is not allowed' } } });
  });

  it('stops the node and frees what it opened before returning', async () => {
    await runNode(listener, { inputs: { in: ['a'] } });
    const outcome = await new Promise<string>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port: lastPort });
      socket.setTimeout(1000, () => (socket.destroy(), resolve('timeout')));
      socket.once('connect', () => (socket.destroy(), resolve('connected')));
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    expect(outcome).toBe('ECONNREFUSED');
  });
});

describe('runGraph', () => {
  const plugins = [definePlugin({ name: 'demo', nodes: [scale, ticker, broken] })];

  it('runs a small graph with feeds and collected outputs', async () => {
    const { outputs, statuses } = await runGraph(
      {
        rivulet: 1,
        id: 'chain',
        nodes: [
          { id: 'a', type: 'demo/scale', params: { factor: 2 } },
          { id: 'b', type: 'demo/scale', params: { factor: 10 } },
        ],
        edges: [{ from: 'a.out', to: 'b.in' }],
      },
      { plugins, feed: { 'a.in': [1, 2] }, collect: ['b.out', 'a.total'] },
    );
    expect(outputs).toEqual({ 'b.out': [20, 40], 'a.total': [1, 3] });
    expect(Object.keys(statuses).sort()).toEqual(['a', 'b']);
  });

  it('stops when until() holds', async () => {
    const { outputs } = await runGraph(
      { rivulet: 1, id: 'tick', nodes: [{ id: 't', type: 'demo/ticker', params: { everyMs: 1 } }] },
      { plugins, collect: ['t.out'], until: ({ outputs: got }) => (got['t.out']?.length ?? 0) >= 5 },
    );
    expect(outputs['t.out']!.slice(0, 5)).toEqual([0, 1, 2, 3, 4]);
  });

  it('runs for a fixed time when asked', async () => {
    const started = Date.now();
    const { events } = await runGraph(
      { rivulet: 1, id: 'tick', nodes: [{ id: 't', type: 'demo/ticker', params: { everyMs: 5 } }], edges: [] },
      { plugins, forMs: 150, metricsIntervalMs: 20 },
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(events.filter((e) => e.type === 'metrics').length).toBeGreaterThan(2);
  });

  it('passes an invalid graph error through unchanged', async () => {
    await expect(runGraph({ rivulet: 1, id: 'bad', nodes: [{ id: 'x', type: 'demo/scal' }] }, { plugins })).rejects.toMatchObject({
      code: 'invalid-graph',
    });
  });
});
