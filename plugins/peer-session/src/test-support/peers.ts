// Test helpers: free UDP ports, a session file for the seed's two peers, per-side graphs and a running side.
import { createSocket } from 'node:dgram';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Catalogue, Runtime, type GraphDocumentInput, type RunningGraph, type RuntimeEvent } from '@rivulet/core';
import gstreamer from '@rivulet/plugin-gstreamer';
import type { Subscription } from 'rxjs';
import peerSession from '../index.js';

/** Ports the OS says are free for UDP on 127.0.0.1 right now (SRT runs over UDP). */
export async function freeUdpPorts(count: number): Promise<number[]> {
  const sockets = await Promise.all(
    Array.from({ length: count }, () => new Promise<ReturnType<typeof createSocket>>((resolve) => {
      const socket = createSocket('udp4');
      socket.bind(0, '127.0.0.1', () => resolve(socket));
    })),
  );
  const ports = sockets.map((s) => s.address().port);
  await Promise.all(sockets.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  return ports;
}

export interface SeedPorts {
  readonly roomCam: number;
  readonly roomMic: number;
  readonly webCam: number;
  readonly localMic: number;
}

/** The seed's Patient/Console session, on loopback, written as a shared session file. */
export function writeSession(dir: string, ports: SeedPorts, passphrase: string, name = 'session.json'): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    JSON.stringify({
      peers: [
        { label: 'Patient', host: '127.0.0.1', channels: [{ label: 'room-cam', port: ports.roomCam }, { label: 'room-mic', port: ports.roomMic }] },
        { label: 'Console', host: '127.0.0.1', channels: [{ label: 'web-cam', port: ports.webCam }, { label: 'local-mic', port: ports.localMic }] },
      ],
      passphrase,
      keyLength: 16,
      latencyMs: 120,
    }),
  );
  return path;
}

export interface SideOptions {
  readonly sessionFile: string;
  readonly localPeer: 'Patient' | 'Console';
  /** Directory the received media is written to (`<channel>.mkv`). */
  readonly outDir: string;
  readonly send?: readonly { channel: string; media: 'video' | 'audio' }[];
  readonly receive?: readonly { channel: string; media: 'video' | 'audio' }[];
}

/** One side's graph: small test sources into outgoing feeds, incoming feeds into MKV files. */
export function sideGraph(options: SideOptions): GraphDocumentInput {
  const session = { sessionFile: options.sessionFile, localPeer: options.localPeer };
  const nodes: Record<string, unknown>[] = [{ id: 'session', type: 'peer-session/session', params: session }];
  const edges: { from: string; to: string }[] = [];
  for (const { channel, media } of options.send ?? []) {
    nodes.push(
      media === 'video'
        ? { id: `${channel}-src`, type: 'gstreamer/test-video', params: { pattern: 'ball', width: 320, height: 240, framerate: 15 }, onError: 'restart' }
        : { id: `${channel}-src`, type: 'gstreamer/test-audio', params: {}, onError: 'restart' },
      { id: channel, type: 'peer-session/outgoing-feed', params: { ...session, channel, videoBitrateKbps: 400 }, onError: 'restart' },
    );
    edges.push({ from: `${channel}-src.out`, to: `${channel}.${media}` });
  }
  for (const { channel, media } of options.receive ?? []) {
    nodes.push(
      { id: channel, type: 'peer-session/incoming-feed', params: { ...session, channel }, onError: 'restart' },
      { id: `${channel}-file`, type: 'gstreamer/file-sink', params: { path: join(options.outDir, `${channel}.mkv`), container: 'mkv' }, onError: 'restart' },
    );
    edges.push({ from: `${channel}.${media}`, to: `${channel}-file.in` });
  }
  return { rivulet: 1, id: `peer-${options.localPeer.toLowerCase()}`, nodes: nodes as GraphDocumentInput['nodes'], edges };
}

/** A runtime running one graph, with every event it emitted. */
export interface RunningSide {
  readonly runtime: Runtime;
  readonly graph: RunningGraph;
  readonly events: RuntimeEvent[];
  stop(): Promise<void>;
}

export async function startSide(document: GraphDocumentInput): Promise<RunningSide> {
  const runtime = new Runtime({ catalogue: new Catalogue([gstreamer, peerSession]), metricsIntervalMs: 500 });
  const events: RuntimeEvent[] = [];
  const subscription: Subscription = runtime.events$.subscribe((event) => events.push(event));
  const graph = await runtime.start(document);
  return {
    runtime,
    graph,
    events,
    async stop() {
      await runtime.stopAll();
      subscription.unsubscribe();
    },
  };
}

/** Resolves once `check` holds, polling every 50 ms; rejects after `timeoutMs` with `what`. */
export async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
