// The `rivulet` CLI: validate, run, nodes and serve, in-process, plus one real child process stopped by SIGTERM.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RivuletClient } from '@rivulet/client';
import { startCli, waitFor } from './test-support/cli.js';

const runnerDir = fileURLToPath(new URL('..', import.meta.url));
const workspaceRoot = join(runnerDir, '..', '..');

const ticking = {
  rivulet: 1,
  id: 'ticking',
  name: 'Ticking',
  nodes: [
    { id: 'tick', type: 'basics/inject', params: { intervalMs: 20, expression: '{ n: n }' } },
    { id: 'double', type: 'basics/map', params: { expression: 'msg.n * 2' } },
    { id: 'print', type: 'basics/log', params: { label: 'doubled' } },
  ],
  edges: [
    { from: 'tick.out', to: 'double.in' },
    { from: 'double.out', to: 'print.in' },
  ],
};

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rivulet-cli-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeGraph(name: string, content: unknown): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

describe('rivulet validate', () => {
  it('prints five errors for a graph with five different mistakes, each naming its node, port or param, and exits 2', async () => {
    const file = await writeGraph('five.json', {
      rivulet: 1,
      id: 'five',
      nodes: [
        { id: 'tick', type: 'basics/inject', params: { intervalMs: 'fast' } },
        { id: 'typo', type: 'basics/mapp', params: {} },
        { id: 'print', type: 'basics/log', params: {} },
        { id: 'print', type: 'basics/log', params: {} },
      ],
      edges: [
        { from: 'tick.out', to: 'ghost.in' },
        { from: 'tick.out', to: 'print.nope' },
      ],
    });
    const run = startCli(['validate', file], { cwd: dir });
    expect(await run.code).toBe(2);
    const errors = run.stderr().split('\n').filter((text) => text.startsWith(`${file}:`));
    expect(errors, run.stderr()).toHaveLength(5);
    for (const error of errors) expect(error).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+ `));
    const text = errors.join('\n');
    expect(text).toMatch(/intervalMs/);
    expect(text).toMatch(/basics\/mapp.*basics\/map|did you mean.*basics\/map/i);
    expect(text).toMatch(/ghost/);
    expect(text).toMatch(/nope/);
    expect(text).toMatch(/duplicate|print/);
    expect(run.stderr()).toContain('5 problems');
  });

  it('reports malformed JSON once, with its line and column, and exits 2', async () => {
    const file = await writeGraph('broken.json', '{\n  "rivulet": 1,\n  "id": "broken",,\n  "nodes": []\n}\n');
    const run = startCli(['validate', file], { cwd: dir });
    expect(await run.code).toBe(2);
    const errors = run.stderr().split('\n').filter((text) => text.startsWith(`${file}:`));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(new RegExp(`:3:\\d+`));
  });

  it('accepts a good graph with exit 0', async () => {
    const run = startCli(['validate', await writeGraph('ok.json', ticking)], { cwd: dir });
    expect(await run.code).toBe(0);
    expect(run.stdout()).toContain('ok (graph ticking, 3 nodes, 2 edges)');
  });
});

describe('rivulet nodes, --help and --version', () => {
  it('lists the basics node types with their ports, as text and as JSON', async () => {
    const text = startCli(['nodes'], { cwd: dir });
    expect(await text.code).toBe(0);
    expect(text.stdout()).toMatch(/basics\/map .* in: in\(json\) +out: out\(json\)/);
    const json = startCli(['nodes', '--json'], { cwd: dir });
    expect(await json.code).toBe(0);
    const catalogue = JSON.parse(json.stdout()) as { nodes: { type: string }[]; problems: unknown[] };
    expect(catalogue.nodes.map((node) => node.type)).toEqual(expect.arrayContaining(['basics/inject', 'basics/map', 'basics/log', 'basics/file-out']));
  });

  it('prints help and the version', async () => {
    const help = startCli(['--help'], { cwd: dir });
    expect(await help.code).toBe(0);
    expect(help.stdout()).toMatch(/run .*<graph\.json>/);
    expect(help.stdout()).toContain('serve');
    expect(help.stdout()).toContain('plugins');
    const version = startCli(['--version'], { cwd: dir });
    expect(await version.code).toBe(0);
    expect(version.stdout().trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('rivulet run', () => {
  it('prints status changes and JSON events, and stops cleanly with exit 0 when told to stop', async () => {
    const file = await writeGraph('ticking.json', ticking);
    const run = startCli(['run', file, '--json'], { cwd: dir });
    await waitFor(() => run.stdout().includes('"type":"metrics"'), 10_000, 'a metrics event');
    run.stop();
    expect(await run.code).toBe(0);
    const events = run
      .stdout()
      .trim()
      .split('\n')
      .map((text) => JSON.parse(text) as { type: string; state?: string; nodeId?: string });
    expect(events.some((event) => event.type === 'node-status' && event.nodeId === 'tick' && event.state === 'running')).toBe(true);
    expect(events.some((event) => event.type === 'log' && event.nodeId === 'print')).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'graph-state', state: 'stopped' });
  });

  it('prints the human status lines', async () => {
    const run = startCli(['run', await writeGraph('ticking.json', ticking)], { cwd: dir });
    await waitFor(() => /\[info\] print:/.test(run.stdout()), 10_000, 'a log line from print');
    run.stop();
    expect(await run.code).toBe(0);
    expect(run.stdout()).toMatch(/graph ticking: running/);
    expect(run.stdout()).toMatch(/print: running/);
  });

  it('exits 2 without running when the graph is invalid', async () => {
    const run = startCli(['run', await writeGraph('bad.json', { ...ticking, nodes: ticking.nodes.slice(1) })], { cwd: dir });
    expect(await run.code).toBe(2);
    expect(run.stderr()).toMatch(/tick/);
    expect(run.stdout()).toBe('');
  });

  it('exits 1 when the graph stops because a node failed', async () => {
    const failing = {
      rivulet: 1,
      id: 'failing',
      nodes: [
        { id: 'read', type: 'basics/file-in', params: { path: join(dir, 'missing.txt'), mode: 'text' } },
        { id: 'print', type: 'basics/log', params: {} },
      ],
      edges: [{ from: 'read.out', to: 'print.in' }],
    };
    const run = startCli(['run', await writeGraph('failing.json', failing)], { cwd: dir });
    expect(await Promise.race([run.code, new Promise((resolve) => setTimeout(() => resolve('still running'), 10_000))])).toBe(1);
    expect(run.stderr()).toMatch(/graph failing stopped by an error: .*read/);
  });

  it('explains a graph with nothing to fuse and exits 0', async () => {
    const run = startCli(['run', await writeGraph('ticking.json', ticking), '--explain'], { cwd: dir });
    expect(await run.code).toBe(0);
    expect(run.stdout()).toContain('nothing fuses');
  });
});

describe('rivulet serve', () => {
  it('refuses a non-loopback host without an explicit token', async () => {
    const run = startCli(['serve', join(dir, 'graphs'), '--host', '0.0.0.0', '--port', '0'], { cwd: dir });
    expect(await run.code).toBe(2);
    expect(run.stderr()).toMatch(/refusing to serve on 0\.0\.0\.0 without an explicit token/);
  });

  it('serves the demo graph running with rising counters, and stops it on the signal', async () => {
    let url = '';
    const run = startCli(['serve', join(dir, 'graphs'), '--port', '0', '--demo'], { cwd: dir, env: { RIVULET_TOKEN: 'from-env' }, hooks: { onListening: (printed) => (url = printed) } });
    try {
      await waitFor(() => url !== '', 15_000, 'the server to listen');
      expect(run.stdout()).toMatch(/^Rivulet serving http:\/\/127\.0\.0\.1:\d+\/\?token=from-env$/m);
      const client = new RivuletClient({ baseUrl: new URL(url).origin, token: 'from-env' });
      expect((await client.status('demo')).state).toBe('running');
      const count = async () => (await client.status('demo')).edges.find((edge) => edge.id === 'tick.out->double.in')?.messages ?? 0;
      const first = await count();
      await new Promise((resolve) => setTimeout(resolve, 1_300));
      expect(await count()).toBeGreaterThan(first);
      expect(JSON.parse(await readFile(join(dir, 'graphs', 'demo.json'), 'utf8'))).toMatchObject({ id: 'demo' });
    } finally {
      run.stop();
      expect(await run.code).toBe(0);
    }
  });
});

describe('the rivulet executable', () => {
  it('runs a graph as a child process and exits 0 on SIGTERM', { timeout: 240_000 }, async () => {
    // The built dist is what users run; build it (incremental, usually up to date) first.
    await promisify(execFile)('npx', ['--no-install', 'tsc', '-b', 'apps/runner/tsconfig.lib.json'], { cwd: workspaceRoot, timeout: 200_000 });
    const file = await writeGraph('ticking.json', ticking);
    const child = spawn(process.execPath, [join(runnerDir, 'dist', 'main.js'), 'run', file], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await waitFor(() => /print: running/.test(out), 20_000, `the graph to run (stderr: ${err})`);
      child.kill('SIGTERM');
      const code = await Promise.race([exited, new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 15_000))]);
      expect(code, err).toBe(0);
      expect(out).toMatch(/graph ticking: stopped/);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
