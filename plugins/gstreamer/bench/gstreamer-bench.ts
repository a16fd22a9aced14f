// GStreamer benchmark: CPU of a fused Rivulet graph against the same gst-launch-1.0 line, measured in
// the same run, and the throughput of raw 720p frames crossing the Node boundary.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Catalogue, defineNode, definePlugin, port, Runtime, type GraphDocumentInput } from '@rivulet/core';
import gstreamer, { isMediaMessage } from '@rivulet/plugin-gstreamer';
import { cpuSecondsOf, pipelineChildren } from '@rivulet/plugin-gstreamer/testing';
import { z } from 'zod';

export interface BenchOptions {
  /** How long each side of the CPU comparison is measured, in total over the rounds (default 15 s). */
  readonly cpuSeconds?: number;
  /** How long raw frames are pushed into Node, in total (default 3 s). */
  readonly boundarySeconds?: number;
  /** Interleaved rounds per side; figures are medians (default 3). */
  readonly rounds?: number;
  readonly log?: (line: string) => void;
}

export interface BenchReport {
  readonly results: Record<string, number>;
  readonly ratios: { cpuVsGstLaunch: number; boundaryVs500MBps: number };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const gstChildren = (): number[] => pipelineChildren().map((c) => c.pid);

const x264Params = { bitrateKbps: 2000, tune: 'zerolatency', keyIntMax: 60, speedPreset: 'veryfast' };

/** The hand-written gst-launch line a GStreamer user would type for the same graph. */
function gstLaunchLine(path: string): string[] {
  return [
    'videotestsrc', 'is-live=true', '!', 'video/x-raw,width=640,height=480,framerate=30/1', '!',
    'videoconvert', '!', 'video/x-raw,format=I420', '!',
    'x264enc', 'bitrate=2000', 'tune=zerolatency', 'key-int-max=60', 'speed-preset=veryfast', '!',
    'h264parse', '!', 'mp4mux', '!', 'filesink', `location=${path}`,
  ];
}

/** Both sides are measured in steady state: start-up (plugin registry, graph validation) is left out. */
const WARM_UP_MS = 2_000;

async function gstLaunchCpu(path: string, seconds: number): Promise<number> {
  const child = spawn('gst-launch-1.0', ['-e', ...gstLaunchLine(path)], { stdio: 'ignore', detached: true });
  const exited = new Promise((resolve) => child.once('close', resolve));
  await sleep(WARM_UP_MS);
  const before = cpuSecondsOf(child.pid!);
  await sleep(seconds * 1000);
  const cpu = cpuSecondsOf(child.pid!) - before;
  child.kill('SIGINT');
  await Promise.race([exited, sleep(5_000)]);
  return cpu;
}

async function rivuletCpu(path: string, seconds: number): Promise<{ total: number; child: number; node: number }> {
  const runtime = new Runtime({ catalogue: new Catalogue([gstreamer]) });
  const graph: GraphDocumentInput = {
    rivulet: 1,
    id: 'bench-x264',
    nodes: [
      { id: 'cam', type: 'gstreamer/test-video', params: { width: 640, height: 480, framerate: 30 } },
      { id: 'enc', type: 'gstreamer/x264-encoder', params: x264Params },
      { id: 'rec', type: 'gstreamer/file-sink', params: { path, container: 'mp4' } },
    ],
    edges: [
      { from: 'cam.out', to: 'enc.in' },
      { from: 'enc.out', to: 'rec.in' },
    ],
  };
  const running = await runtime.start(graph);
  // setpriv execs the launcher a moment after the spawn.
  let [pid] = gstChildren();
  for (let i = 0; pid === undefined && i < 100; i++) {
    await sleep(20);
    [pid] = gstChildren();
  }
  if (pid === undefined) throw new Error('the fused graph started no pipeline child');
  await sleep(WARM_UP_MS);
  const childBefore = cpuSecondsOf(pid);
  const nodeBefore = process.cpuUsage();
  await sleep(seconds * 1000);
  const child = cpuSecondsOf(pid) - childBefore;
  const nodeUsage = process.cpuUsage(nodeBefore);
  const node = (nodeUsage.user + nodeUsage.system) / 1e6;
  await running.stop();
  return { total: child + node, child, node };
}

async function boundaryThroughput(seconds: number): Promise<{ mbPerSec: number; framesPerSec: number }> {
  let bytes = 0;
  let frames = 0;
  let counting = false;
  const counter = defineNode({
    type: 'bench/byte-counter',
    title: 'byte counter',
    category: 'bench',
    params: z.object({}),
    inputs: { in: port('any', { live: true, capacity: 64 }) },
    create(ctx) {
      const s = ctx.inputs.in.subscribe((m) => {
        if (counting && isMediaMessage(m)) {
          bytes += m.data.length;
          frames++;
        }
      });
      return { dispose: () => s.unsubscribe() };
    },
  });
  const runtime = new Runtime({ catalogue: new Catalogue([gstreamer, definePlugin({ name: 'bench', nodes: [counter] })]) });
  const running = await runtime.start({
    rivulet: 1,
    id: 'bench-boundary',
    nodes: [
      { id: 'cam', type: 'gstreamer/test-video', params: { width: 1280, height: 720, framerate: 240, isLive: false, pattern: 'black' } },
      { id: 'tn', type: 'gstreamer/to-node', params: { format: 'frames' } },
      { id: 'count', type: 'bench/byte-counter' },
    ],
    edges: [
      { from: 'cam.out', to: 'tn.in' },
      { from: 'tn.out', to: 'count.in' },
    ],
  });
  // Count only once frames flow: process start-up is not boundary throughput.
  let seen = 0;
  const original = frames;
  counting = true;
  const deadline = Date.now() + 10_000;
  while (frames === original && Date.now() < deadline) await sleep(10);
  seen = frames;
  await sleep(500);
  bytes = 0;
  frames = 0;
  if (seen === 0) throw new Error('no raw frame reached Node within 10 s');
  const started = process.hrtime.bigint();
  await sleep(seconds * 1000);
  counting = false;
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  await running.stop();
  return { mbPerSec: bytes / 1e6 / elapsed, framesPerSec: frames / elapsed };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export async function run(options: BenchOptions = {}): Promise<BenchReport> {
  const log = options.log ?? (() => undefined);
  const cpuSeconds = options.cpuSeconds ?? 15;
  const rounds = Math.max(1, options.rounds ?? 3);
  const perRound = cpuSeconds / rounds;
  const dir = mkdtempSync(join(tmpdir(), 'rivulet-gst-bench-'));
  try {
    // Interleaved rounds, medians: the machine is shared, so one long sample per side is at the
    // mercy of whatever else ran during it.
    const gstLaunch: number[] = [];
    const rivulet: { total: number; child: number; node: number }[] = [];
    for (let i = 0; i < rounds; i++) {
      log(`round ${i + 1}/${rounds}: ${perRound.toFixed(1)} s of 640x480@30 → x264 → mp4 each (after ${WARM_UP_MS / 1000} s warm-up)`);
      gstLaunch.push(await gstLaunchCpu(join(dir, `gst-launch-${i}.mp4`), perRound));
      rivulet.push(await rivuletCpu(join(dir, `rivulet-${i}.mp4`), perRound));
      const r = rivulet[i]!;
      log(`  gst-launch-1.0 ${gstLaunch[i]!.toFixed(2)} s CPU; Rivulet ${r.total.toFixed(2)} s (child ${r.child.toFixed(2)} s + runtime ${r.node.toFixed(2)} s)`);
    }
    const boundarySeconds = options.boundarySeconds ?? 3;
    log(`raw 1280x720 I420 frames into Node, ${rounds} × ${(boundarySeconds / rounds).toFixed(1)} s …`);
    const boundary: { mbPerSec: number; framesPerSec: number }[] = [];
    for (let i = 0; i < rounds; i++) boundary.push(await boundaryThroughput(boundarySeconds / rounds));
    const mbPerSec = median(boundary.map((b) => b.mbPerSec));
    log(`  ${boundary.map((b) => b.mbPerSec.toFixed(0)).join(', ')} MB/s (median ${mbPerSec.toFixed(0)})`);
    const ratios = rivulet.map((r, i) => gstLaunch[i]! / r.total);
    return {
      results: {
        gstLaunchCpuSec: round(median(gstLaunch)),
        rivuletCpuSec: round(median(rivulet.map((r) => r.total))),
        rivuletChildCpuSec: round(median(rivulet.map((r) => r.child))),
        rivuletNodeCpuSec: round(median(rivulet.map((r) => r.node))),
        measuredSecondsPerSide: cpuSeconds,
        boundaryMBps: round(mbPerSec),
        boundaryFramesPerSec: round(median(boundary.map((b) => b.framesPerSec))),
      },
      ratios: { cpuVsGstLaunch: round(median(ratios)), boundaryVs500MBps: round(mbPerSec / 500) },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
