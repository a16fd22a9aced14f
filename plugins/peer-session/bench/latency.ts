// Glass-to-glass latency of a peer-session link: Node draws frames that flip between black and
// white, the sender encodes and sends them over SRT, the receiver decodes them back into Node, and
// each flip's delay is the time from drawing it to seeing it decoded, on the same clock.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Catalogue, defineNode, definePlugin, isMediaMessage, port, Runtime, type MediaFrame } from '@rivulet/core';
import gstreamer from '@rivulet/plugin-gstreamer';
import peerSession from '@rivulet/plugin-peer-session';
import { Observable } from 'rxjs';
import { z } from 'zod';

export const WIDTH = 160;
export const HEIGHT = 120;
const FPS = 30;
const FRAME_BYTES = (WIDTH * HEIGHT * 3) / 2;
export const RAW_CAPS = `video/x-raw, format=(string)I420, width=(int)${WIDTH}, height=(int)${HEIGHT}, framerate=(fraction)${FPS}/1`;
/** Frames between flips: two flips a second leave every flip time to arrive before the next. */
const FRAMES_PER_FLIP = 15;

/** One I420 frame, all black (Y 16) or all white (Y 235), chroma neutral. */
function frame(white: boolean): Buffer {
  const data = Buffer.alloc(FRAME_BYTES, 128);
  data.fill(white ? 235 : 16, 0, WIDTH * HEIGHT);
  return data;
}
const FRAMES = { black: frame(false), white: frame(true) };

/** Whether a decoded I420 frame is mostly white, from a sparse sample of its luma plane. */
export function isWhite(data: Buffer): boolean {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < WIDTH * HEIGHT && i < data.length; i += 97) {
    sum += data[i]!;
    count++;
  }
  return count > 0 && sum / count > 128;
}

/** Flip times on one side, sightings on the other: pairs each flip with the first sighting after it. */
export class FlipClock {
  private readonly flips: { at: number; white: boolean }[] = [];
  private seenWhite: boolean | undefined;
  readonly delaysMs: number[] = [];
  private frameNo = 0;

  /** The next frame to send, noting the time when it is the first of a new colour. */
  next(): Buffer {
    const white = Math.floor(this.frameNo / FRAMES_PER_FLIP) % 2 === 1;
    if (this.frameNo % FRAMES_PER_FLIP === 0) this.flips.push({ at: performance.now(), white });
    this.frameNo++;
    return white ? FRAMES.white : FRAMES.black;
  }

  /** A decoded frame arrived: a change of colour closes the oldest open flip of that colour. */
  saw(data: Buffer): void {
    const white = isWhite(data);
    if (white === this.seenWhite) return;
    const first = this.seenWhite === undefined;
    this.seenWhite = white;
    const now = performance.now();
    // Drop flips of the other colour, or ones the receiver joined too late to see.
    while (this.flips.length && (this.flips[0]!.white !== white || now - this.flips[0]!.at > 2_000)) this.flips.shift();
    const flip = this.flips.shift();
    if (flip && !first) this.delaysMs.push(now - flip.at);
  }
}

export interface LatencyFigures {
  readonly medianMs: number;
  readonly p95Ms: number;
  readonly flips: number;
}

export function summarize(delays: readonly number[]): LatencyFigures {
  const sorted = [...delays].sort((a, b) => a - b);
  const at = (q: number): number => Math.round((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN) * 10) / 10;
  return { medianMs: at(0.5), p95Ms: at(0.95), flips: sorted.length };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Rivulet: from-node → outgoing feed ⇢ SRT ⇢ incoming feed → decoder → Node, two runtimes. */
export async function rivuletLatency(dir: string, srtPort: number, passphrase: string, seconds: number): Promise<LatencyFigures> {
  const clock = new FlipClock();
  const source = defineNode({
    type: 'bench/flip-source',
    title: 'Flip source',
    category: 'bench',
    params: z.object({}),
    outputs: { out: port<MediaFrame>('video/raw', { live: true }) },
    create: () => ({
      outputs: {
        out: new Observable<MediaFrame>((subscriber) => {
          const timer = setInterval(() => subscriber.next({ kind: 'frame', codec: 'RAW', media: 'video', caps: RAW_CAPS, keyframe: true, data: clock.next() }), 1000 / FPS);
          return () => clearInterval(timer);
        }),
      },
    }),
  });
  const detector = defineNode({
    type: 'bench/flip-detector',
    title: 'Flip detector',
    category: 'bench',
    params: z.object({}),
    inputs: { in: port('video/raw', { live: true }) },
    create(ctx) {
      const subscription = ctx.inputs.in.subscribe((value) => {
        if (isMediaMessage(value)) clock.saw(value.data);
      });
      return { dispose: () => subscription.unsubscribe() };
    },
  });
  const sessionFile = join(dir, `latency-session-${srtPort}.json`);
  writeFileSync(
    sessionFile,
    JSON.stringify({
      peers: [
        { label: 'Patient', host: '127.0.0.1', channels: [{ label: 'room-cam', port: srtPort }] },
        { label: 'Console', host: '127.0.0.1', channels: [] },
      ],
      passphrase,
      keyLength: 16,
      latencyMs: 120,
    }),
  );
  const session = { sessionFile };
  const catalogue = new Catalogue([gstreamer, peerSession, definePlugin({ name: 'bench-flips', nodes: [source, detector] })]);
  const sender = new Runtime({ catalogue });
  const receiver = new Runtime({ catalogue });
  try {
    await sender.start({
      rivulet: 1,
      id: 'latency-patient',
      nodes: [
        { id: 'flips', type: 'bench/flip-source', params: {} },
        { id: 'in', type: 'gstreamer/from-node', params: { format: 'frames', codec: 'raw-video' } },
        { id: 'room-cam', type: 'peer-session/outgoing-feed', params: { ...session, localPeer: 'Patient', channel: 'room-cam', keyIntMax: 30 } },
      ],
      edges: [
        { from: 'flips.out', to: 'in.in' },
        { from: 'in.out', to: 'room-cam.video' },
      ],
    });
    await receiver.start({
      rivulet: 1,
      id: 'latency-console',
      nodes: [
        { id: 'room-cam', type: 'peer-session/incoming-feed', params: { ...session, localPeer: 'Console', channel: 'room-cam' } },
        { id: 'dec', type: 'gstreamer/decoder', params: { codec: 'h264' } },
        { id: 'seen', type: 'bench/flip-detector', params: {} },
      ],
      edges: [
        { from: 'room-cam.video', to: 'dec.in' },
        { from: 'dec.out', to: 'seen.in' },
      ],
    });
    await sleep(seconds * 1000);
    return summarize(clock.delaysMs);
  } finally {
    await receiver.stopAll();
    await sender.stopAll();
  }
}

/** The same link typed as two gst-launch-1.0 lines, frames in through stdin and out through stdout. */
export async function gstLaunchLatency(port: number, passphrase: string, seconds: number): Promise<LatencyFigures> {
  const clock = new FlipClock();
  const srt = [`passphrase=${passphrase}`, 'pbkeylen=16', 'latency=120'];
  const sender = spawn('gst-launch-1.0', [
    '-q', 'fdsrc', 'fd=0', `blocksize=${FRAME_BYTES}`, 'do-timestamp=true', '!',
    'rawvideoparse', `width=${WIDTH}`, `height=${HEIGHT}`, 'format=i420', `framerate=${FPS}/1`, '!',
    'videoconvert', '!', 'video/x-raw,format=I420', '!',
    'x264enc', 'bitrate=2000', 'tune=zerolatency', 'speed-preset=veryfast', 'key-int-max=30', '!', 'queue', '!',
    'mpegtsmux', 'alignment=7', '!',
    'srtsink', 'mode=listener', 'localaddress=127.0.0.1', `localport=${port}`, ...srt, 'wait-for-connection=true', 'sync=false',
  ], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
  const receiver = spawn('gst-launch-1.0', [
    '-q', 'srtsrc', 'mode=caller', `uri=srt://127.0.0.1:${port}`, ...srt, '!',
    'tsdemux', '!', 'video/x-h264', '!', 'queue', '!', 'h264parse', '!', 'avdec_h264', '!', 'videoconvert', '!',
    'video/x-raw,format=I420', '!', 'fdsink', 'fd=1', 'sync=false',
  ], { stdio: ['ignore', 'pipe', 'ignore'], detached: true });
  sender.stdin.on('error', () => undefined);
  let pending = Buffer.alloc(0);
  receiver.stdout.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= FRAME_BYTES) {
      clock.saw(pending.subarray(0, FRAME_BYTES));
      pending = pending.subarray(FRAME_BYTES);
    }
  });
  const timer = setInterval(() => sender.stdin.write(clock.next()), 1000 / FPS);
  try {
    await sleep(seconds * 1000);
    return summarize(clock.delaysMs);
  } finally {
    clearInterval(timer);
    for (const child of [sender, receiver]) {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  }
}
