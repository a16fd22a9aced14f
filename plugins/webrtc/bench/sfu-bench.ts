// SFU benchmark: RTP packets forwarded per CPU-second of the forwarding process, Rivulet's router vs a raw werift
// forward loop (receiver onReceiveRtp → track writeRtp → sender), 1→1 and 1→4, in the same run. The publisher and
// subscribers (werift, WHIP/WHEP) run in a child process (load.mjs), so only the forwarder's CPU is counted.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { MediaStreamTrack, RTCPeerConnection } from 'werift';
import { WishServer } from '../src/http/wish-server.js';
import { peerConfig } from '../src/ice.js';
import { SfuRouter } from '../src/sfu/router.js';

const RATE_PPS = Number(process.env['SFU_BENCH_PPS'] ?? 3_000);
const WARMUP_MS = 1_000;
const MEASURE_MS = Number(process.env['SFU_BENCH_MS'] ?? 3_000);
const ROUNDS = Number(process.env['SFU_BENCH_ROUNDS'] ?? 3);
const LOAD = fileURLToPath(new URL('./load.mjs', import.meta.url));
/** A round counts when the forwarder saw at least this share of the offered packets; else it is repeated (at most twice). */
const MIN_DELIVERED = 0.9;
const STARVED_RETRIES = 2;
/** Comma-separated side names (e.g. `rivulet1to4`) to run alone, for a CPU profile of one side; ratios then need both sides. */
const ONLY = process.env['SFU_BENCH_ONLY']?.split(',');

interface Forwarder {
  readonly url: string;
  forwarded(): number;
  /** Packets sent by Rivulet's fast path and by werift's own send path (Rivulet only). */
  sendPaths?(): { fast: number; werift: number };
  close(): Promise<void>;
}

export interface Figure {
  /** Packets forwarded (handed to subscriber senders) per CPU-second of the forwarding process. */
  readonly packetsPerCpuSec: number;
  readonly forwardedPerSec: number;
  /** What the subscribers received per second (approximate: the load process reports once a second). */
  readonly deliveredPerSec: number;
  readonly cpuPercent: number;
  /** Share of the forwarded packets that took Rivulet's fast path (Rivulet only). */
  readonly fastShare?: number;
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString();
}

/** The anchor: werift alone, one publish peer whose track each subscriber peer's track re-sends (writeRtp). */
async function rawForwarder(): Promise<Forwarder> {
  const pcs: RTCPeerConnection[] = [];
  const outs = new Set<MediaStreamTrack>();
  let forwarded = 0;
  const server: Server = createServer((req, res) => {
    void (async () => {
      const offer = await body(req);
      const pc = new RTCPeerConnection(peerConfig());
      pcs.push(pc);
      // werift announces the publisher's track while applying the offer: listen first.
      if (req.url === '/whip') {
        pc.onTrack.subscribe((track) =>
          track.onReceiveRtp.subscribe((rtp) => {
            for (const out of outs) {
              out.writeRtp(rtp);
              forwarded++;
            }
          }),
        );
      }
      await pc.setRemoteDescription({ type: 'offer', sdp: offer });
      if (req.url !== '/whip') {
        for (const t of pc.getTransceivers()) {
          const out = new MediaStreamTrack({ kind: 'video' });
          t.setDirection('sendonly');
          await t.sender.replaceTrack(out);
          outs.add(out);
        }
      }
      await pc.setLocalDescription(await pc.createAnswer());
      res.writeHead(201, { 'Content-Type': 'application/sdp', Location: '/x' }).end(pc.localDescription?.sdp);
    })().catch((error: unknown) => res.writeHead(500).end(String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    forwarded: () => forwarded,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await Promise.all(pcs.map((pc) => pc.close()));
    },
  };
}

async function rivuletForwarder(): Promise<Forwarder> {
  const router = new SfuRouter();
  const server = new WishServer(router);
  const { url } = await server.listen();
  return {
    url,
    forwarded: () => router.forwardedPackets,
    sendPaths: () => router.sendPaths,
    async close() {
      await server.close();
      await router.close();
    },
  };
}

function startLoad(url: string, fanout: number): Promise<{ child: ChildProcess; received: () => number }> {
  const child = spawn(process.execPath, [LOAD, url, String(fanout), String(RATE_PPS)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let received = 0;
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`load did not get ready: ${stderr}`)), 20_000);
    child.stdout?.on('data', (d: Buffer) => {
      for (const line of d.toString().split('\n')) {
        if (line === 'ready') {
          clearTimeout(timer);
          resolve({ child, received: () => received });
        }
        const m = /^received (\d+)/.exec(line);
        if (m) received = Number(m[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`load exited (${code}): ${stderr}`)));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function once(make: () => Promise<Forwarder>, fanout: number): Promise<Figure> {
  const forwarder = await make();
  let load: Awaited<ReturnType<typeof startLoad>> | undefined;
  try {
    load = await startLoad(forwarder.url, fanout);
    await sleep(WARMUP_MS);
    const f0 = forwarder.forwarded();
    const p0 = forwarder.sendPaths?.();
    const r0 = load.received();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await sleep(MEASURE_MS);
    const cpu = process.cpuUsage(c0);
    const wall = (performance.now() - t0) / 1000;
    const forwarded = forwarder.forwarded() - f0;
    const p1 = forwarder.sendPaths?.();
    // The load reports once a second: wait for its next line so both ends cover the window.
    await sleep(1_000);
    const delivered = load.received() - r0;
    const cpuSec = (cpu.user + cpu.system) / 1e6;
    return {
      packetsPerCpuSec: Math.round(forwarded / cpuSec),
      forwardedPerSec: Math.round(forwarded / wall),
      deliveredPerSec: Math.round(delivered / (wall + 1)),
      cpuPercent: Math.round((cpuSec / wall) * 100),
      ...(p0 && p1 ? { fastShare: Math.round(((p1.fast - p0.fast) / Math.max(1, p1.fast - p0.fast + p1.werift - p0.werift)) * 1000) / 1000 } : {}),
    };
  } finally {
    load?.child.kill('SIGKILL');
    await forwarder.close();
  }
}

/** The round with the median packets per CPU-second. */
function median(figures: Figure[]): Figure {
  const sorted = [...figures].sort((a, b) => a.packetsPerCpuSec - b.packetsPerCpuSec);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export async function run(options: { log?: (line: string) => void } = {}): Promise<{ results: Record<string, Figure | number>; ratios: { vsWerift1to1: number; vsWerift1to4: number } }> {
  const log = options.log ?? (() => undefined);
  // A throwaway round of each side first: the first forwarder in a cold process pays werift's JIT warm-up.
  if (!ONLY || ONLY.some((n) => n.startsWith('werift'))) await once(rawForwarder, 1);
  if (!ONLY || ONLY.some((n) => n.startsWith('rivulet'))) await once(rivuletForwarder, 1);
  const seen: Record<string, Figure[]> = { werift1to1: [], rivulet1to1: [], werift1to4: [], rivulet1to4: [] };
  // Rounds alternate the two sides so drift in machine load (two shared cores) hits both alike.
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, make, fanout] of [
      ['werift1to1', rawForwarder, 1],
      ['rivulet1to1', rivuletForwarder, 1],
      ['werift1to4', rawForwarder, 4],
      ['rivulet1to4', rivuletForwarder, 4],
    ] as const) {
      if (ONLY && !ONLY.includes(name)) continue;
      // A round in which the load process could not send the offered rate (it shares two cores with the forwarder and
      // whatever else runs) measures a starved forwarder, not the forwarding cost: it is run again, for either side.
      let figure = await once(make, fanout);
      for (let retry = 0; retry < STARVED_RETRIES && figure.forwardedPerSec < MIN_DELIVERED * RATE_PPS * fanout; retry++) {
        log(`round ${round + 1} ${name}: load starved (${figure.forwardedPerSec} packets/s forwarded), again`);
        figure = await once(make, fanout);
      }
      seen[name]!.push(figure);
      log(`round ${round + 1} ${name}: ${JSON.stringify(figure)}`);
    }
  }
  const m = Object.fromEntries(Object.entries(seen).filter(([, v]) => v.length > 0).map(([k, v]) => [k, median(v)])) as Record<string, Figure>;
  const ratio = (a: Figure | undefined, b: Figure | undefined) => (a && b ? Math.round((a.packetsPerCpuSec / b.packetsPerCpuSec) * 100) / 100 : 0);
  return {
    results: { offeredPps: RATE_PPS, measureMs: MEASURE_MS, rounds: ROUNDS, ...m },
    ratios: { vsWerift1to1: ratio(m['rivulet1to1'], m['werift1to1']), vsWerift1to4: ratio(m['rivulet1to4'], m['werift1to4']) },
  };
}
