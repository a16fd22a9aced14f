// SFU benchmark: forwarded RTP packets per CPU-second through the Rivulet router vs a raw werift forward loop
// (receiver onReceiveRtp → sender writeRtp), 1→1 and 1→4, measured in the same run. Publisher and subscribers share
// the process with the forwarder in both cases, so the ratio compares like with like.
import { MediaStreamTrack, RTCPeerConnection, RtpHeader, RtpPacket } from 'werift';
import { WishServer } from '../src/http/wish-server.js';
import { peerConfig } from '../src/ice.js';
import { SfuRouter } from '../src/sfu/router.js';
import { until, vp8Payload, weriftWhepSubscribe, weriftWhipPublish } from '../src/test-support/werift-clients.js';

const RATE_PPS = Number(process.env['SFU_BENCH_PPS'] ?? 3_000);
const WARMUP_MS = 1_000;
const MEASURE_MS = Number(process.env['SFU_BENCH_MS'] ?? 2_000);

interface Rig {
  send(packet: RtpPacket): void;
  received(): number;
  close(): Promise<void>;
}

interface Figure {
  readonly packetsPerCpuSec: number;
  readonly deliveredPerSec: number;
  readonly cpuPercent: number;
}

async function connectPair(sender: RTCPeerConnection, receiver: RTCPeerConnection): Promise<void> {
  await sender.setLocalDescription(await sender.createOffer());
  await receiver.setRemoteDescription(sender.localDescription!);
  await receiver.setLocalDescription(await receiver.createAnswer());
  await sender.setRemoteDescription(receiver.localDescription!);
}

/** Raw werift: A → B, B's track fans out by writeRtp into N tracks sent from B_i to C_i. */
async function rawRig(fanout: number): Promise<Rig> {
  const pcs: RTCPeerConnection[] = [];
  const mk = () => {
    const pc = new RTCPeerConnection(peerConfig());
    pcs.push(pc);
    return pc;
  };
  const a = mk();
  const b = mk();
  const source = new MediaStreamTrack({ kind: 'video' });
  a.addTransceiver(source, { direction: 'sendonly' });
  b.addTransceiver('video', { direction: 'recvonly' });
  let received = 0;
  const outs: MediaStreamTrack[] = [];
  for (let i = 0; i < fanout; i++) {
    const bi = mk();
    const ci = mk();
    const out = new MediaStreamTrack({ kind: 'video' });
    outs.push(out);
    bi.addTransceiver(out, { direction: 'sendonly' });
    ci.addTransceiver('video', { direction: 'recvonly' });
    ci.onTrack.subscribe((t) => t.onReceiveRtp.subscribe(() => received++));
    await connectPair(bi, ci);
  }
  b.onTrack.subscribe((t) => t.onReceiveRtp.subscribe((rtp) => outs.forEach((o) => o.writeRtp(rtp))));
  await connectPair(a, b);
  await until(() => pcs.every((pc) => pc.connectionState === 'connected'), 10_000, 'raw werift peers connected');
  return { send: (p) => source.writeRtp(p), received: () => received, close: async () => void (await Promise.all(pcs.map((pc) => pc.close()))) };
}

async function rivuletRig(fanout: number): Promise<Rig> {
  const router = new SfuRouter();
  const server = new WishServer(router);
  const { url } = await server.listen();
  const pub = await weriftWhipPublish(`${url}/whip`);
  const subs: Awaited<ReturnType<typeof weriftWhepSubscribe>>[] = [];
  for (let i = 0; i < fanout; i++) subs.push(await weriftWhepSubscribe(`${url}/whep/${pub.publisherIds[0]!}`, 0));
  await until(() => pub.pc.connectionState === 'connected' && subs.every((s) => s.pc.connectionState === 'connected'), 10_000, 'rivulet peers connected');
  return {
    send: (p) => pub.track.writeRtp(p),
    received: () => subs.reduce((n, s) => n + s.count, 0),
    close: async () => {
      await Promise.all([pub, ...subs].map((c) => c.close()));
      await server.close();
      await router.close();
    },
  };
}

async function measure(rig: Rig): Promise<Figure> {
  let seq = 0;
  const payload = vp8Payload(false, 1000);
  const perTick = Math.max(1, Math.round(RATE_PPS / 100));
  const timer = setInterval(() => {
    for (let i = 0; i < perTick; i++) {
      seq++;
      rig.send(new RtpPacket(new RtpHeader({ payloadType: 96, sequenceNumber: seq & 0xffff, timestamp: (seq * 300) >>> 0, ssrc: 0x1234, marker: i === perTick - 1 }), payload));
    }
  }, 10);
  try {
    await new Promise((r) => setTimeout(r, WARMUP_MS));
    const r0 = rig.received();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, MEASURE_MS));
    const cpu = process.cpuUsage(c0);
    const wall = (performance.now() - t0) / 1000;
    const delivered = rig.received() - r0;
    const cpuSec = (cpu.user + cpu.system) / 1e6;
    return { packetsPerCpuSec: Math.round(delivered / cpuSec), deliveredPerSec: Math.round(delivered / wall), cpuPercent: Math.round((cpuSec / wall) * 100) };
  } finally {
    clearInterval(timer);
  }
}

async function once(make: (n: number) => Promise<Rig>, fanout: number): Promise<Figure> {
  const rig = await make(fanout);
  try {
    return await measure(rig);
  } finally {
    await rig.close();
  }
}

const ROUNDS = Number(process.env['SFU_BENCH_ROUNDS'] ?? 3);

/** The round with the median packets per CPU-second. */
function median(figures: Figure[]): Figure {
  const sorted = [...figures].sort((a, b) => a.packetsPerCpuSec - b.packetsPerCpuSec);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export async function run(options: { log?: (line: string) => void } = {}): Promise<{ results: Record<string, Figure | number>; ratios: { vsWerift1to1: number; vsWerift1to4: number } }> {
  const log = options.log ?? (() => undefined);
  // A throwaway round of each side first: the first rig in a cold process pays werift's JIT warm-up.
  await once(rawRig, 1);
  await once(rivuletRig, 1);
  const seen: Record<string, Figure[]> = { werift1to1: [], rivulet1to1: [], werift1to4: [], rivulet1to4: [] };
  // Rounds alternate the two sides so drift in machine load (two shared cores) hits both alike.
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, make, fanout] of [
      ['werift1to1', rawRig, 1],
      ['rivulet1to1', rivuletRig, 1],
      ['werift1to4', rawRig, 4],
      ['rivulet1to4', rivuletRig, 4],
    ] as const) {
      const figure = await once(make, fanout);
      seen[name]!.push(figure);
      log(`round ${round + 1} ${name}: ${JSON.stringify(figure)}`);
    }
  }
  const m = Object.fromEntries(Object.entries(seen).map(([k, v]) => [k, median(v)])) as Record<keyof typeof seen, Figure>;
  const ratio = (a: Figure, b: Figure) => Math.round((a.packetsPerCpuSec / b.packetsPerCpuSec) * 100) / 100;
  return {
    results: { offeredPps: RATE_PPS, measureMs: MEASURE_MS, rounds: ROUNDS, ...m },
    ratios: { vsWerift1to1: ratio(m['rivulet1to1']!, m['werift1to1']!), vsWerift1to4: ratio(m['rivulet1to4']!, m['werift1to4']!) },
  };
}
