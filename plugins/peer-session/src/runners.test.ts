// Acceptance with real runner processes: the example's two peers as two `rivulet run` processes,
// the receiving one killed with SIGKILL and started again while the sender keeps running.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { discover } from '@rivulet/plugin-gstreamer/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freeUdpPorts, waitFor } from './test-support/peers.js';

const EXAMPLE = fileURLToPath(new URL('../../../examples/peer-session/', import.meta.url));
const RUNNER = fileURLToPath(new URL('../../../apps/runner/dist/main.js', import.meta.url));

interface NodeStatusLine {
  readonly type: 'node-status';
  readonly nodeId: string;
  readonly state: string;
  readonly text?: string;
}

/** One `rivulet run --json` process and the node statuses it printed. */
interface RunnerProcess {
  readonly child: ChildProcess;
  readonly statuses: NodeStatusLine[];
  status(nodeId: string): NodeStatusLine | undefined;
}

const runners: RunnerProcess[] = [];
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'peer-runners-'));
});
afterEach(() => {
  for (const runner of runners.splice(0)) runner.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function startRunner(graph: string, cwd: string): RunnerProcess {
  const child = spawn(process.execPath, [RUNNER, 'run', graph, '--json'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const statuses: NodeStatusLine[] = [];
  let partial = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      try {
        const event = JSON.parse(line) as { type?: string };
        if (event.type === 'node-status') statuses.push(event as NodeStatusLine);
      } catch {
        /* not an event line */
      }
    }
  });
  const runner = { child, statuses, status: (nodeId: string) => statuses.filter((s) => s.nodeId === nodeId).at(-1) };
  runners.push(runner);
  return runner;
}

/** The example's session and graphs with free ports, and file sinks writing into `out`. */
async function writeExample(): Promise<{ patient: string; console: string }> {
  const session = JSON.parse(readFileSync(join(EXAMPLE, 'session.json'), 'utf8')) as { peers: { channels: { port: number }[] }[] };
  const ports = await freeUdpPorts(4);
  session.peers.flatMap((p) => p.channels).forEach((channel, i) => (channel.port = ports[i]!));
  const sessionFile = join(dir, 'session.json');
  writeFileSync(sessionFile, JSON.stringify(session));
  const rewrite = (name: string): string => {
    const graph = JSON.parse(readFileSync(join(EXAMPLE, name), 'utf8')) as { nodes: { params: Record<string, unknown> }[] };
    for (const node of graph.nodes) if (typeof node.params['sessionFile'] === 'string') node.params['sessionFile'] = sessionFile;
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(graph));
    return path;
  };
  return { patient: rewrite('patient.json'), console: rewrite('console.json') };
}

const size = (path: string): number => {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
};

describe('the peer-session example as two runner processes', () => {
  it('exchanges media both ways, and the sender goes to waiting then connected when the receiving runner is killed and started again', async () => {
    const graphs = await writeExample();
    const patientDir = mkdtempSync(join(dir, 'patient-'));
    const firstConsole = mkdtempSync(join(dir, 'console-1-'));
    const secondConsole = mkdtempSync(join(dir, 'console-2-'));
    const patient = startRunner(graphs.patient, patientDir);
    let consoleSide = startRunner(graphs.console, firstConsole);
    const received = (cwd: string, side: 'console' | 'patient', channel: string): string => join(cwd, `${side}-received-${channel}.mkv`);
    await waitFor(
      () => size(received(firstConsole, 'console', 'room-cam')) > 20_000 && size(received(patientDir, 'patient', 'web-cam')) > 20_000,
      15_000,
      'video both ways',
    );
    await waitFor(() => /^connected \(/.test(patient.status('room-cam')?.text ?? ''), 5_000, 'the sender to show its peer');

    consoleSide.child.kill('SIGKILL');
    await waitFor(() => patient.status('room-cam')?.text === 'waiting for peer', 12_000, 'the sender to wait for its peer again');
    consoleSide = startRunner(graphs.console, secondConsole);
    await waitFor(() => size(received(secondConsole, 'console', 'room-cam')) > 20_000, 15_000, 'the restarted receiver to get video');
    await waitFor(() => /^connected \(/.test(patient.status('room-cam')?.text ?? ''), 5_000, 'the sender to show its new peer');

    const seen = patient.statuses.filter((s) => s.nodeId === 'room-cam' && s.text).map((s) => s.text!.replace(/\(127\.0\.0\.1:\d+\)/, '(peer)'));
    expect(seen.filter((text, i) => text !== seen[i - 1])).toEqual(['waiting for peer', 'connected (peer)', 'waiting for peer', 'connected (peer)']);
    expect(patient.statuses.some((s) => s.nodeId === 'room-cam' && s.state === 'error')).toBe(false);

    // A clean stop finishes the files; what arrived plays as H.264 and Opus on both sides.
    const files = [received(secondConsole, 'console', 'room-cam'), received(secondConsole, 'console', 'room-mic'), received(patientDir, 'patient', 'web-cam'), received(patientDir, 'patient', 'local-mic')];
    await waitFor(() => files.every((f) => size(f) > 20_000), 15_000, 'media in every received file');
    await new Promise((resolve) => setTimeout(resolve, 2_500)); // at least two seconds more of each
    for (const runner of [patient, consoleSide]) runner.child.kill('SIGTERM');
    await Promise.all([patient, consoleSide].map((r) => new Promise((resolve) => (r.child.exitCode !== null ? resolve(null) : r.child.once('exit', resolve)))));
    const found = await Promise.all(files.map((f) => discover(f)));
    expect(found.map((f) => (/H\.264/.test(f.text) ? 'H.264' : /Opus/.test(f.text) ? 'Opus' : f.text))).toEqual(['H.264', 'Opus', 'H.264', 'Opus']);
    for (const f of found) expect(f.durationSec).toBeGreaterThan(1);
  }, 60_000);
});
