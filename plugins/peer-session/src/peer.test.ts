// Acceptance: two runtimes on loopback exchange media both ways; SRT tools interoperate; a wrong passphrase shows nothing; a receiver restart is survived.
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SECRET_MASK, type RuntimeEvent } from '@rivulet/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freeUdpPorts, sideGraph, sleep, startSide, waitFor, writeSession, type RunningSide, type SeedPorts } from './test-support/peers.js';
import { discover, pipelineChildren } from '@rivulet/plugin-gstreamer/testing';

const PASSPHRASE = 'rivulet-peer-test-secret';
let dir: string;
let ports: SeedPorts;
let sessionFile: string;
const cleanups: (() => Promise<void> | void)[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'peer-session-'));
  const [roomCam, roomMic, webCam, localMic] = await freeUdpPorts(4);
  ports = { roomCam: roomCam!, roomMic: roomMic!, webCam: webCam!, localMic: localMic! };
  sessionFile = writeSession(dir, ports, PASSPHRASE);
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  rmSync(dir, { recursive: true, force: true });
});

async function side(...args: Parameters<typeof sideGraph>): Promise<RunningSide> {
  const running = await startSide(sideGraph(...args));
  cleanups.push(() => running.stop());
  return running;
}

const size = (path: string): number => {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
};

/** Runs an SRT caller (srt-live-transmit) for `ms`, returning how many bytes of MPEG-TS it received. */
function srtLiveTransmit(port: number, passphrase: string, ms: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('srt-live-transmit', ['-q', `srt://127.0.0.1:${port}?passphrase=${passphrase}&pbkeylen=16`, 'file://con'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let bytes = 0;
    child.stdout.on('data', (chunk: Buffer) => (bytes += chunk.length));
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    cleanups.push(() => void child.kill('SIGKILL'));
    child.once('error', (error) => (clearTimeout(timer), reject(error)));
    child.once('close', () => (clearTimeout(timer), resolve(bytes)));
  });
}

describe('peer sessions over SRT', () => {
  it('exchanges video and audio both ways between two runtimes, and the received files play as H.264 and Opus', async () => {
    const patientDir = mkdtempSync(join(dir, 'patient-'));
    const consoleDir = mkdtempSync(join(dir, 'console-'));
    const patient = await side({
      sessionFile, localPeer: 'Patient', outDir: patientDir,
      send: [{ channel: 'room-cam', media: 'video' }, { channel: 'room-mic', media: 'audio' }],
      receive: [{ channel: 'web-cam', media: 'video' }, { channel: 'local-mic', media: 'audio' }],
    });
    const consoleSide = await side({
      sessionFile, localPeer: 'Console', outDir: consoleDir,
      send: [{ channel: 'web-cam', media: 'video' }, { channel: 'local-mic', media: 'audio' }],
      receive: [{ channel: 'room-cam', media: 'video' }, { channel: 'room-mic', media: 'audio' }],
    });
    const files = [join(patientDir, 'web-cam.mkv'), join(patientDir, 'local-mic.mkv'), join(consoleDir, 'room-cam.mkv'), join(consoleDir, 'room-mic.mkv')];
    await waitFor(() => files.every((f) => size(f) > 8_000), 10_000, 'all four received files to grow');
    await sleep(1_500);
    // SRT's own figures, read from the running elements, on both ends of the room-cam link.
    const sent = lastMetrics(patient.events, 'room-cam');
    const got = lastMetrics(consoleSide.events, 'room-cam');
    expect(sent['srt.peers']).toBe(1);
    expect(sent['srt.kbps']).toBeGreaterThan(50);
    expect(sent['srt.rttMs']).toBeGreaterThanOrEqual(0);
    expect(got['srt.kbps']).toBeGreaterThan(50);
    expect(got['srt.bytesReceived']).toBeGreaterThan(10_000);
    expect(got['srt.lostPackets']).toBe(0);
    expect(patient.graph.status().nodes['room-cam']?.text).toMatch(/^connected \(127\.0\.0\.1:\d+\)$/);
    expect(consoleSide.graph.status().nodes['room-cam']?.text).toBe(`connected (127.0.0.1:${ports.roomCam})`);
    await patient.stop();
    await consoleSide.stop();
    const found = await Promise.all(files.map((f) => discover(f)));
    expect(found[0]!.text).toContain('H.264');
    expect(found[1]!.text).toContain('Opus');
    expect(found[2]!.text).toContain('H.264');
    expect(found[3]!.text).toContain('Opus');
    for (const f of found) expect(f.durationSec).toBeGreaterThan(1);
    expect(patient.graph.status().state).toBe('stopped');
  }, 40_000);

  it('muxes video and audio of one channel into one feed, and the receiver records both', async () => {
    const session = { sessionFile, localPeer: 'Patient' };
    const sender = await startSide({
      rivulet: 1,
      id: 'patient',
      nodes: [
        { id: 'cam', type: 'gstreamer/test-video', params: { width: 320, height: 240, framerate: 15 } },
        { id: 'mic', type: 'gstreamer/test-audio', params: {} },
        { id: 'room-cam', type: 'peer-session/outgoing-feed', params: { ...session, channel: 'room-cam', videoBitrateKbps: 400 } },
      ],
      edges: [
        { from: 'cam.out', to: 'room-cam.video' },
        { from: 'mic.out', to: 'room-cam.audio' },
      ],
    });
    cleanups.push(() => sender.stop());
    const path = join(dir, 'both.mkv');
    const receiver = await startSide({
      rivulet: 1,
      id: 'console',
      nodes: [
        { id: 'room-cam', type: 'peer-session/incoming-feed', params: { sessionFile, localPeer: 'Console', channel: 'room-cam' } },
        { id: 'rec', type: 'gstreamer/file-sink', params: { path, container: 'mkv' } },
      ],
      edges: [
        { from: 'room-cam.video', to: 'rec.in' },
        { from: 'room-cam.audio', to: 'rec.in' },
      ],
    });
    cleanups.push(() => receiver.stop());
    await waitFor(() => size(path) > 20_000, 10_000, 'the receiver to record');
    await sleep(1_000);
    await receiver.stop();
    const found = await discover(path);
    expect(found.text).toContain('H.264');
    expect(found.text).toContain('Opus');
  }, 30_000);

  it('sends an outgoing feed to srt-live-transmit with the same passphrase and nothing with a wrong one', async () => {
    const patient = await side({ sessionFile, localPeer: 'Patient', outDir: dir, send: [{ channel: 'room-cam', media: 'video' }] });
    await waitFor(() => patient.graph.status().nodes['room-cam']?.state === 'running', 5_000, 'the outgoing feed to run');
    const wrong = await srtLiveTransmit(ports.roomCam, 'not-the-passphrase', 2_500);
    const right = await srtLiveTransmit(ports.roomCam, PASSPHRASE, 2_500);
    expect(wrong).toBe(0);
    expect(right).toBeGreaterThan(20_000);
    // The passphrase authenticates the child, yet nothing shown carries it: explain text, logs, statuses.
    const explained = patient.runtime.explain(sideGraph({ sessionFile, localPeer: 'Patient', outDir: dir, send: [{ channel: 'room-cam', media: 'video' }] }));
    expect(explained.map((e) => e.text).join('\n')).toContain(`passphrase="${SECRET_MASK}"`);
    expect(JSON.stringify(explained)).not.toContain(PASSPHRASE);
    expect(patient.events.some((e) => e.type === 'log' && e.message.includes('srtsink'))).toBe(true);
    expect(JSON.stringify(patient.events)).not.toContain(PASSPHRASE);
    // The rejected caller did not disturb the sender.
    expect(patient.graph.status().nodes['room-cam']).toMatchObject({ state: 'running', restarts: 0 });
  }, 20_000);

  it('reports an authentication failure on an incoming feed with the wrong passphrase, writes no media, and leaves the sender running', async () => {
    const wrongFile = writeSession(dir, ports, 'a-different-passphrase', 'wrong.json');
    const patient = await side({ sessionFile, localPeer: 'Patient', outDir: dir, send: [{ channel: 'room-cam', media: 'video' }] });
    const consoleSide = await side({ sessionFile: wrongFile, localPeer: 'Console', outDir: dir, receive: [{ channel: 'room-cam', media: 'video' }] });
    const authFailure = (): boolean =>
      consoleSide.events.some((e) => e.type === 'log' && e.level === 'warn' && /room-cam/.test(e.message) && /Failed to authenticate: Incorrect passphrase/.test(e.message));
    await waitFor(authFailure, 8_000, 'an authentication failure logged by the incoming feed');
    expect(consoleSide.graph.status().nodes['room-cam']).toMatchObject({ state: 'error', text: 'authentication failed: wrong passphrase?' });
    await sleep(2_500);
    // srtsrc warns on every attempt (about one a second); the log keeps the first and counts the rest.
    expect(consoleSide.events.filter((e) => e.type === 'log' && /Incorrect passphrase/.test(e.message))).toHaveLength(1);
    expect(size(join(dir, 'room-cam.mkv'))).toBeLessThan(1_000); // a bare MKV header at most, no frames
    expect(patient.graph.status().nodes['room-cam']).toMatchObject({ state: 'running', restarts: 0 });
    expect(consoleSide.graph.status().state).toBe('running');
    await consoleSide.stop();
    const repeats = consoleSide.events.flatMap((e) => (e.type === 'log' && /Incorrect passphrase/.test(e.message) ? [e.message] : []));
    expect(repeats.at(-1)).toMatch(/… repeated \d+ times? in \d+ s$/);
    for (const text of [JSON.stringify(consoleSide.events), JSON.stringify(patient.events)]) {
      expect(text).not.toContain(PASSPHRASE);
      expect(text).not.toContain('a-different-passphrase');
    }
  }, 25_000);

  it('keeps sending after the receiving runtime is killed and started again, without restarting the sender', async () => {
    const patient = await side({ sessionFile, localPeer: 'Patient', outDir: dir, send: [{ channel: 'room-cam', media: 'video' }] });
    const first = mkdtempSync(join(dir, 'first-'));
    const second = mkdtempSync(join(dir, 'second-'));
    const receiver1 = await side({ sessionFile, localPeer: 'Console', outDir: first, receive: [{ channel: 'room-cam', media: 'video' }] });
    await waitFor(() => size(join(first, 'room-cam.mkv')) > 10_000, 8_000, 'the first receiver to get media');
    // Kill the receiving pipeline outright (no EOS, no SRT shutdown), then its runtime.
    const callers = callerPipelines();
    expect(callers).toHaveLength(1);
    for (const pid of callers) process.kill(pid, 'SIGKILL');
    await receiver1.stop();
    // SRT drops the silent peer after its idle timeout (5 s): the sender shows it is waiting again.
    await waitFor(() => patient.graph.status().nodes['room-cam']?.text === 'waiting for peer', 10_000, 'the sender to wait for its peer again');
    const receiver2 = await side({ sessionFile, localPeer: 'Console', outDir: second, receive: [{ channel: 'room-cam', media: 'video' }] });
    await waitFor(() => size(join(second, 'room-cam.mkv')) > 10_000, 10_000, 'the restarted receiver to get media');
    expect(patient.graph.status().nodes['room-cam']).toMatchObject({ state: 'running', restarts: 0 });
    expect(patient.events.some((e) => e.type === 'node-status' && e.nodeId === 'room-cam' && e.state === 'error')).toBe(false);
    // The sender saw it all: waiting, the first receiver, waiting again, the second receiver.
    const seen = patient.events.flatMap((e) => (e.type === 'node-status' && e.nodeId === 'room-cam' && e.text ? [e.text.replace(/\(127\.0\.0\.1:\d+\)/, '(peer)')] : []));
    expect(seen.filter((text, i) => text !== seen[i - 1])).toEqual(['waiting for peer', 'connected (peer)', 'waiting for peer', 'connected (peer)']);
    await receiver2.stop();
  }, 45_000);

  it('keeps receiving after the sending runtime stops and starts again, without restarting the receiver', async () => {
    const receiver = await side({ sessionFile, localPeer: 'Console', outDir: dir, receive: [{ channel: 'room-cam', media: 'video' }] });
    const file = join(dir, 'room-cam.mkv');
    const sender1 = await side({ sessionFile, localPeer: 'Patient', outDir: dir, send: [{ channel: 'room-cam', media: 'video' }] });
    await waitFor(() => size(file) > 10_000, 8_000, 'the receiver to get media from the first sender');
    await sender1.stop();
    // srtsrc says so when its peer is gone (a timeout after about 3 s), and the feed shows it.
    await waitFor(() => receiver.graph.status().nodes['room-cam']?.text === 'reconnecting', 8_000, 'the incoming feed to show reconnecting');
    expect(receiver.graph.status().nodes['room-cam']?.state).toBe('running');
    const before = size(file);
    await side({ sessionFile, localPeer: 'Patient', outDir: dir, send: [{ channel: 'room-cam', media: 'video' }] });
    await waitFor(() => size(file) > before + 20_000, 12_000, 'the receiver to get media from the restarted sender');
    expect(receiver.graph.status().nodes['room-cam']).toMatchObject({ state: 'running', restarts: 0 });
  }, 40_000);

  it('fails only the feed whose port is in use, naming the node, the channel param and the port', async () => {
    const blocker = createSocket('udp4');
    await new Promise<void>((resolve) => blocker.bind(ports.roomMic, '127.0.0.1', () => resolve()));
    cleanups.push(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
    const patient = await side({ sessionFile, localPeer: 'Patient', outDir: dir, send: [{ channel: 'room-cam', media: 'video' }, { channel: 'room-mic', media: 'audio' }] });
    const failure = (): string | undefined =>
      patient.events.find((e) => e.type === 'node-status' && e.nodeId === 'room-mic' && e.state === 'error' && e.text !== undefined && /restarting/.test(e.text) === false)?.['text' as never];
    await waitFor(() => failure() !== undefined, 8_000, 'the room-mic feed to fail');
    await waitFor(() => patient.graph.status().nodes['room-cam']?.state === 'running', 8_000, 'the room-cam feed to run');
    // GStreamer's own words name the node, its channel param and the failing element…
    expect(failure()).toMatch(/^node room-mic \(peer-session\/outgoing-feed\), param channel: GStreamer: Could not open resource for writing/);
    // …and GStreamer's reason from the later debug lines: the address it could not bind.
    expect(failure()).toContain(`Failed to open SRT: Cannot bind to 127.0.0.1:${ports.roomMic}`);
    // …and the session node names the channel and the port.
    expect(patient.graph.status().nodes['session']).toMatchObject({ state: 'error', text: `channel room-mic: UDP port ${ports.roomMic} is already in use on this machine` });
    expect(patient.graph.status().nodes['room-cam']?.state).toBe('running');
    const bytes = await srtLiveTransmit(ports.roomCam, PASSPHRASE, 2_000);
    expect(bytes).toBeGreaterThan(10_000);
  }, 20_000);
});

/** The newest figures a node reported in a side's metrics events. */
function lastMetrics(events: readonly RuntimeEvent[], nodeId: string): Readonly<Record<string, number>> {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.type === 'metrics' && e.nodes[nodeId] && 'srt.kbps' in e.nodes[nodeId]) return e.nodes[nodeId];
  }
  return {};
}

/** The receiving side's pipelines (graph peer-console) among this process's children. */
function callerPipelines(): number[] {
  return pipelineChildren()
    .filter((c) => c.label.startsWith('peer-console/'))
    .map((c) => c.pid);
}
