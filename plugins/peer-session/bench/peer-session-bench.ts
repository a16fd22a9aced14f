// Peer-session benchmark: CPU and glass-to-glass latency of a Rivulet sender/receiver pair (two
// runtimes, SRT on loopback) against the same srtsink/srtsrc pair typed as two gst-launch-1.0 lines,
// measured in the same run.
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Catalogue, Runtime, type GraphDocumentInput } from '@rivulet/core';
import gstreamer from '@rivulet/plugin-gstreamer';
import { cpuSecondsOf, pipelineChildren } from '@rivulet/plugin-gstreamer/testing';
import peerSession from '@rivulet/plugin-peer-session';
import { gstLaunchLatency, rivuletLatency, type LatencyFigures } from './latency.js';

export interface BenchOptions {
  /** Measured seconds per side, in total over the rounds (default 12 s). */
  readonly cpuSeconds?: number;
  /** Interleaved rounds per side; figures are medians (default 3). */
  readonly rounds?: number;
  /** Seconds of flips per side for the latency figures (default 10 s, two flips a second). */
  readonly latencySeconds?: number;
  readonly log?: (line: string) => void;
}

export interface BenchReport {
  readonly results: Record<string, number>;
  readonly ratios: { cpuVsGstLaunch: number; latencyVsGstLaunch: number };
}

const PASSPHRASE = 'rivulet-bench-passphrase';
const WARM_UP_MS = 2_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const gstChildren = (): number[] => pipelineChildren().map((c) => c.pid);

async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

const size = (path: string): number => {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
};

async function waitForBytes(path: string, minBytes: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (size(path) < minBytes) {
    if (Date.now() > deadline) throw new Error(`no media reached ${path} within ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** The two lines a GStreamer user would type for the same pair. */
function gstLaunchPair(port: number, path: string): [string[], string[]] {
  const sender = [
    'videotestsrc', 'pattern=ball', 'is-live=true', '!', 'video/x-raw,format=I420,width=640,height=360,framerate=30/1', '!',
    'videoconvert', '!', 'video/x-raw,format=I420', '!',
    'x264enc', 'bitrate=2000', 'tune=zerolatency', 'speed-preset=veryfast', 'key-int-max=60', '!', 'queue', '!',
    'mpegtsmux', 'alignment=7', '!',
    'srtsink', 'mode=listener', 'localaddress=127.0.0.1', `localport=${port}`, `passphrase=${PASSPHRASE}`, 'pbkeylen=16', 'latency=120', 'sync=false',
  ];
  const receiver = [
    'srtsrc', 'mode=caller', `uri=srt://127.0.0.1:${port}`, `passphrase=${PASSPHRASE}`, 'pbkeylen=16', 'latency=120', '!',
    'tsdemux', '!', 'video/x-h264', '!', 'queue', '!', 'h264parse', '!', 'matroskamux', '!', 'filesink', `location=${path}`,
  ];
  return [sender, receiver];
}

interface Sample {
  readonly total: number;
  readonly children: number;
  readonly node: number;
}

async function measure(pids: readonly number[], seconds: number): Promise<Sample> {
  const before = pids.map(cpuSecondsOf);
  const nodeBefore = process.cpuUsage();
  await sleep(seconds * 1000);
  const children = pids.map(cpuSecondsOf).reduce((sum, cpu, i) => sum + cpu - before[i]!, 0);
  const usage = process.cpuUsage(nodeBefore);
  const node = (usage.user + usage.system) / 1e6;
  return { total: children + node, children, node };
}

async function gstLaunchSample(dir: string, round: number, seconds: number): Promise<Sample> {
  const port = await freeUdpPort();
  const path = join(dir, `gst-launch-${round}.mkv`);
  const [senderArgs, receiverArgs] = gstLaunchPair(port, path);
  const children: ChildProcess[] = [senderArgs, receiverArgs].map((args) => spawn('gst-launch-1.0', ['-e', ...args], { stdio: 'ignore', detached: true }));
  try {
    await waitForBytes(path, 10_000, 10_000);
    await sleep(WARM_UP_MS);
    // gst-launch's own CPU only: the bench's Node process idles meanwhile and is not counted.
    const sample = await measure(children.map((c) => c.pid!), seconds);
    return { total: sample.children, children: sample.children, node: 0 };
  } finally {
    for (const child of children) child.kill('SIGKILL');
  }
}

function side(id: string, nodes: unknown[], edges: { from: string; to: string }[]): GraphDocumentInput {
  return { rivulet: 1, id, nodes: nodes as GraphDocumentInput['nodes'], edges };
}

async function rivuletSample(dir: string, round: number, seconds: number): Promise<Sample> {
  const port = await freeUdpPort();
  const path = join(dir, `rivulet-${round}.mkv`);
  const sessionFile = join(dir, `session-${round}.json`);
  writeFileSync(
    sessionFile,
    JSON.stringify({
      peers: [
        { label: 'Patient', host: '127.0.0.1', channels: [{ label: 'room-cam', port }] },
        { label: 'Console', host: '127.0.0.1', channels: [] },
      ],
      passphrase: PASSPHRASE,
      keyLength: 16,
      latencyMs: 120,
    }),
  );
  const catalogue = new Catalogue([gstreamer, peerSession]);
  const sender = new Runtime({ catalogue });
  const receiver = new Runtime({ catalogue });
  try {
    await sender.start(
      side(
        'bench-patient',
        [
          { id: 'cam', type: 'gstreamer/test-video', params: { pattern: 'ball', width: 640, height: 360, framerate: 30 } },
          { id: 'room-cam', type: 'peer-session/outgoing-feed', params: { sessionFile, localPeer: 'Patient', channel: 'room-cam' } },
        ],
        [{ from: 'cam.out', to: 'room-cam.video' }],
      ),
    );
    await receiver.start(
      side(
        'bench-console',
        [
          { id: 'room-cam', type: 'peer-session/incoming-feed', params: { sessionFile, localPeer: 'Console', channel: 'room-cam' } },
          { id: 'rec', type: 'gstreamer/file-sink', params: { path, container: 'mkv' } },
        ],
        [{ from: 'room-cam.video', to: 'rec.in' }],
      ),
    );
    await waitForBytes(path, 10_000, 10_000);
    await sleep(WARM_UP_MS);
    const pids = gstChildren();
    if (pids.length !== 2) throw new Error(`expected 2 pipeline children, found ${pids.length}`);
    return await measure(pids, seconds);
  } finally {
    await sender.stopAll();
    await receiver.stopAll();
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const round = (value: number): number => Math.round(value * 1000) / 1000;

export async function run(options: BenchOptions = {}): Promise<BenchReport> {
  const log = options.log ?? (() => undefined);
  const rounds = Math.max(1, options.rounds ?? 3);
  const perRound = (options.cpuSeconds ?? 12) / rounds;
  const dir = mkdtempSync(join(tmpdir(), 'rivulet-peer-bench-'));
  try {
    const gst: Sample[] = [];
    const riv: Sample[] = [];
    for (let i = 0; i < rounds; i++) {
      log(`round ${i + 1}/${rounds}: ${perRound.toFixed(1)} s of 640x360@30 x264 → MPEG-TS → SRT (AES-128) → MKV, each side`);
      gst.push(await gstLaunchSample(dir, i, perRound));
      riv.push(await rivuletSample(dir, i, perRound));
      log(`  gst-launch-1.0 pair ${gst[i]!.total.toFixed(2)} s CPU; Rivulet ${riv[i]!.total.toFixed(2)} s (children ${riv[i]!.children.toFixed(2)} s + runtime ${riv[i]!.node.toFixed(2)} s)`);
    }
    const ratios = riv.map((r, i) => gst[i]!.total / r.total);
    const latencySeconds = options.latencySeconds ?? 10;
    log(`glass-to-glass: ${latencySeconds} s of 160x120 frames flipping black/white twice a second, drawn in Node, decoded back into Node`);
    const gstLatency: LatencyFigures = await gstLaunchLatency(await freeUdpPort(), PASSPHRASE, latencySeconds);
    const rivLatency: LatencyFigures = await rivuletLatency(dir, await freeUdpPort(), PASSPHRASE, latencySeconds);
    log(`  gst-launch-1.0 pair ${JSON.stringify(gstLatency)}; Rivulet ${JSON.stringify(rivLatency)}`);
    if (rivLatency.flips < 3 || gstLatency.flips < 3) throw new Error(`too few flips seen to measure latency (Rivulet ${rivLatency.flips}, gst-launch ${gstLatency.flips})`);
    return {
      results: {
        rivuletLatencyMs: rivLatency.medianMs,
        rivuletLatencyP95Ms: rivLatency.p95Ms,
        gstLaunchLatencyMs: gstLatency.medianMs,
        gstLaunchLatencyP95Ms: gstLatency.p95Ms,
        latencyFlips: rivLatency.flips,
        srtLatencySettingMs: 120,
        gstLaunchCpuSec: round(median(gst.map((s) => s.total))),
        rivuletCpuSec: round(median(riv.map((s) => s.total))),
        rivuletChildrenCpuSec: round(median(riv.map((s) => s.children))),
        rivuletNodeCpuSec: round(median(riv.map((s) => s.node))),
        measuredSecondsPerSide: round(perRound * rounds),
      },
      ratios: { cpuVsGstLaunch: round(median(ratios)), latencyVsGstLaunch: round(gstLatency.medianMs / rivLatency.medianMs) },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
