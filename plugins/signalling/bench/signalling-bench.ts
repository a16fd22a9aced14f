// Signalling benchmark: relay msgs/s of each server against a raw `ws` relay measured in the same run,
// plus connections held and server memory per connection. Load comes from a separate Node process so
// the server under test has its own core. The anchor does the least each protocol must: the room
// protocol names its target in text, so its anchor reads `<to> <payload>`; named-stream and users-list
// name it inside JSON, so theirs parses the JSON to read `to` and forwards the text unchanged.
import { spawn } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer, type WebSocket } from 'ws';
import { NamedStreamServer, RoomServer, UsersListServer } from '@rivulet/plugin-signalling';

type Anchor = 'raw' | 'raw-json';
type Protocol = Anchor | 'room' | 'named-stream' | 'users-list';
type ServerProtocol = Exclude<Protocol, Anchor>;

export interface BenchOptions {
  /** Measured time per relay, after a warm-up. */
  readonly seconds?: number;
  readonly pairs?: number;
  /** Alternations of (server, anchor) per protocol; the median ratio is reported. */
  readonly rounds?: number;
  /** Messages in flight per sender. */
  readonly window?: number;
  /** Idle connections held for the memory figure (0 skips it). */
  readonly idleConnections?: number;
  /** Servers to measure (default all three); handy when working on one. */
  readonly protocols?: readonly ServerProtocol[];
  /** Progress lines for humans. */
  readonly log?: (line: string) => void;
}

export interface BenchReport {
  readonly results: Record<string, number>;
  readonly ratios: { vsWsRelayNamedStream: number; vsWsRelayRoom: number; vsWsRelayUsersList: number };
}

// The load generator runs as plain JavaScript in a child process (only `ws` needed).
const GENERATOR = String.raw`
import { WebSocket } from 'ws';
const [protocol, url, pairs, windowSize, warmMs, measureMs, mode] = process.argv.slice(1);
const P = Number(pairs), W = Number(windowSize);
const open = (u, onText) => new Promise((res, rej) => { const ws = new WebSocket(u, { perMessageDeflate: false }); ws.on('message', (d) => onText(ws, d.toString())); ws.once('open', () => res(ws)); ws.once('error', rej); });
const payload = 'x'.repeat(200);
let received = 0;
const clients = [];
async function client(i) {
  const c = { i, peer: undefined, ready: false, ws: undefined, id: undefined };
  // Receivers only look at prefixes and senders reuse one prebuilt text, so the generator costs the same for every protocol.
  const onText = (ws, t) => {
    if (protocol === 'raw') { if (t.startsWith('m ')) { received++; c.send(); } return; }
    if (protocol === 'raw-json') { if (t.startsWith('{"to"')) { received++; c.send(); } return; }
    if (protocol === 'room') { if (t.startsWith('ROOM_PEER_MSG')) { received++; c.send(); } else if (t === 'HELLO') ws.send('ROOM bench' + Math.floor(i / 2)); else if (t.startsWith('ROOM_OK')) c.ready = true; return; }
    if (protocol === 'named-stream') { if (t.startsWith('{"method":"NOTIFY"')) { received++; c.send(); } else if (t.includes('"created"')) { c.id = JSON.parse(t).data.id; c.ready = true; } return; }
    if (t === '2') { ws.send('3'); return; }
    // Idle users-list connections stay at the engine.io level: joining thousands as users is an O(n²) usersList broadcast by protocol.
    if (t.startsWith('0{')) { if (mode === 'relay') ws.send('40'); else c.ready = true; return; }
    if (t.startsWith('40{')) { c.id = JSON.parse(t.slice(2)).sid; c.ready = true; return; }
    if (t.startsWith('42["message"')) { received++; c.send(); }
  };
  const base = url.replace(/^http/, 'ws');
  const u = protocol === 'named-stream' ? base + '/p' + Math.floor(i / 2) + '?mode=' + (i % 2 ? 'subscribe' : 'publish') : protocol === 'users-list' ? base + '/socket.io/?EIO=4&transport=websocket' : base;
  c.ws = await open(u, onText);
  c.text = undefined;
  c.send = () => {
    if (mode !== 'relay' || !c.peer) return;
    if (c.text === undefined) {
      const to = c.peer;
      if (protocol === 'raw') c.text = to.i + ' m ' + payload;
      else if (protocol === 'raw-json') c.text = JSON.stringify({ to: String(to.i), p: payload });
      else if (protocol === 'room') c.text = 'ROOM_PEER_MSG b' + to.i + ' ' + payload;
      else if (protocol === 'named-stream') c.text = JSON.stringify({ method: 'NOTIFY', to: to.id, data: { p: payload } });
      else c.text = '42' + JSON.stringify(['message', { id: to.id, p: payload }]);
    }
    c.ws.send(c.text);
  };
  if (protocol === 'raw' || protocol === 'raw-json') { c.ws.send(String(i)); c.ready = true; }
  if (protocol === 'room') c.ws.send('HELLO b' + i);
  clients[i] = c;
}
const total = 2 * P;
for (let i = 0; i < total; i += 200) await Promise.all(Array.from({ length: Math.min(200, total - i) }, (_, j) => client(i + j)));
const deadline = Date.now() + 30000;
while (!clients.every((c) => c.ready)) { if (Date.now() > deadline) { console.error('not ready'); process.exit(2); } await new Promise((r) => setTimeout(r, 20)); }
for (let i = 0; i < total; i += 2) { clients[i].peer = clients[i + 1]; clients[i + 1].peer = clients[i]; }
if (protocol === 'named-stream') for (let i = 0; i < total; i += 2) clients[i + 1].peer = { id: '0', i };
if (mode !== 'relay') { console.log(JSON.stringify({ ready: total })); await new Promise((r) => process.stdin.once('data', r)); process.exit(0); }
await new Promise((r) => setTimeout(r, 50));
for (const c of clients) for (let k = 0; k < W; k++) c.send();
await new Promise((r) => setTimeout(r, Number(warmMs)));
console.log(JSON.stringify({ measuring: true }));
const start = received, t0 = performance.now();
await new Promise((r) => setTimeout(r, Number(measureMs)));
const n = received - start, secs = (performance.now() - t0) / 1000;
console.log(JSON.stringify({ msgsPerSec: n / secs, messages: n }));
process.exit(0);
`;

interface Served {
  readonly url: string;
  readonly connections: () => number;
  close(): Promise<void>;
}

/**
 * The anchor: a minimal `ws` relay. The first message names the client; then `<to> <payload>` goes to
 * client <to> as `<payload>`, or (json) `{"to":…}` goes to client `to` as it came.
 */
async function rawRelay(json: boolean): Promise<Served> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await new Promise((resolve) => wss.once('listening', resolve));
  const byId = new Map<string, WebSocket>();
  wss.on('connection', (ws) => {
    let id: string | undefined;
    ws.on('message', (data) => {
      const text = data.toString();
      if (id === undefined) {
        id = text;
        byId.set(id, ws);
        return;
      }
      if (json) {
        let to: unknown;
        try {
          to = (JSON.parse(text) as { to?: unknown }).to;
        } catch {
          return;
        }
        if (typeof to === 'string') byId.get(to)?.send(text);
        return;
      }
      const space = text.indexOf(' ');
      byId.get(text.slice(0, space))?.send(text.slice(space + 1));
    });
    ws.on('close', () => id !== undefined && byId.delete(id));
  });
  const port = (wss.address() as { port: number }).port;
  return {
    url: `ws://127.0.0.1:${port}`,
    connections: () => wss.clients.size,
    close: () => new Promise<void>((resolve) => {
      for (const ws of wss.clients) ws.terminate();
      wss.close(() => resolve());
    }),
  };
}

const UNLIMITED = { maxMessagesPerSecond: 1_000_000_000 };

async function serve(protocol: Protocol): Promise<Served> {
  if (protocol === 'raw' || protocol === 'raw-json') return rawRelay(protocol === 'raw-json');
  const server = protocol === 'room' ? new RoomServer(UNLIMITED) : protocol === 'named-stream' ? new NamedStreamServer(UNLIMITED) : new UsersListServer(UNLIMITED);
  const { url } = await server.start({ port: 0 });
  return { url, connections: () => server.connectionCount, close: () => server.close() };
}

/** Runs the load generator; `onLine` sees each JSON line it prints as it arrives. */
function generator(args: string[], onReady?: (child: ReturnType<typeof spawn>) => void, onLine?: (line: Record<string, unknown>) => void): Promise<Record<string, number>> {
  const cwd = dirname(fileURLToPath(import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', GENERATOR, ...args], { cwd, stdio: ['pipe', 'pipe', 'inherit'] });
    const killer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    let out = '';
    let seen = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      for (let end = out.indexOf('\n', seen); end >= 0 && onLine; seen = end + 1, end = out.indexOf('\n', seen)) {
        onLine(JSON.parse(out.slice(seen, end)) as Record<string, unknown>);
      }
      if (onReady && out.includes('"ready"')) {
        const ready = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Record<string, number>;
        onReady(child);
        onReady = undefined;
        resolve(ready);
      }
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(killer);
      if (code !== 0) return reject(new Error(`load generator exited with ${code}`));
      const line = out.trim().split('\n').at(-1) ?? '{}';
      resolve(JSON.parse(line) as Record<string, number>);
    });
  });
}

interface RelayRun {
  readonly msgsPerSec: number;
  /** CPU time of this process (the server under test) per relayed message, over the measured window. */
  readonly cpuMicrosPerMsg: number;
}

async function relayRate(protocol: Protocol, o: Required<BenchOptions>): Promise<RelayRun> {
  const served = await serve(protocol);
  try {
    let cpuStart: NodeJS.CpuUsage | undefined;
    let cpu: NodeJS.CpuUsage | undefined;
    const result = await generator([protocol, served.url, String(o.pairs), String(o.window), '500', String(o.seconds * 1000), 'relay'], undefined, (line) => {
      if (line['measuring'] === true) cpuStart = process.cpuUsage();
      else if (typeof line['messages'] === 'number' && cpuStart) cpu = process.cpuUsage(cpuStart);
    });
    const messages = result['messages'] ?? 0;
    return {
      msgsPerSec: Math.round(result['msgsPerSec'] ?? 0),
      cpuMicrosPerMsg: cpu && messages > 0 ? Math.round(((cpu.user + cpu.system) / messages) * 100) / 100 : 0,
    };
  } finally {
    await served.close();
  }
}

async function idleMemory(protocol: ServerProtocol, count: number): Promise<{ held: number; bytesPerConnection: number }> {
  const served = await serve(protocol);
  try {
    globalThis.gc?.();
    const before = process.memoryUsage().heapUsed + process.memoryUsage().external;
    let child: ReturnType<typeof spawn> | undefined;
    // users-list peers are held at the engine.io level: joining thousands as users is an O(n²) broadcast by protocol.
    await generator([protocol, served.url, String(count / 2), '1', '0', '0', 'idle'], (c) => (child = c));
    await new Promise((resolve) => setTimeout(resolve, 500));
    globalThis.gc?.();
    const after = process.memoryUsage().heapUsed + process.memoryUsage().external;
    const held = served.connections();
    child?.stdin?.end('done\n');
    return { held, bytesPerConnection: Math.round((after - before) / Math.max(1, held)) };
  } finally {
    await served.close();
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export async function run(options: BenchOptions = {}): Promise<BenchReport> {
  const o: Required<BenchOptions> = {
    seconds: 2,
    rounds: 3,
    pairs: 20,
    window: 20,
    idleConnections: 2_000,
    protocols: ['room', 'named-stream', 'users-list'],
    log: () => undefined,
    ...options,
  };
  const results: Record<string, number> = {};
  const measure = async (protocol: Protocol) => {
    const run = await relayRate(protocol, o);
    o.log(`${protocol} relay: ${run.msgsPerSec} msgs/s, ${run.cpuMicrosPerMsg} µs server CPU per message`);
    return run;
  };
  // The anchor runs before and after every server run and each ratio uses the two anchor runs
  // around it; the median of `rounds` such ratios is reported, because on a shared machine the
  // CPU available drifts between runs. Server CPU per message is steadier than msgs/s there, so
  // it is reported beside it.
  const anchorRuns: Record<Anchor, RelayRun[]> = { raw: [], 'raw-json': [] };
  const anchor = async (kind: Anchor) => {
    const run = await measure(kind);
    anchorRuns[kind].push(run);
    return run;
  };
  const ratios: Record<string, number> = {};
  for (const [protocol, key, ratioKey, kind] of [
    ['room', 'room', 'vsWsRelayRoom', 'raw'],
    ['named-stream', 'namedStream', 'vsWsRelayNamedStream', 'raw-json'],
    ['users-list', 'usersList', 'vsWsRelayUsersList', 'raw-json'],
  ] as const) {
    if (!o.protocols.includes(protocol)) continue;
    let before = anchorRuns[kind].at(-1) ?? (await anchor(kind));
    const rates: number[] = [];
    const cpus: number[] = [];
    const roundRatios: number[] = [];
    const cpuRatios: number[] = [];
    for (let round = 0; round < o.rounds; round++) {
      const served = await measure(protocol);
      const after = await anchor(kind);
      rates.push(served.msgsPerSec);
      cpus.push(served.cpuMicrosPerMsg);
      roundRatios.push(served.msgsPerSec / ((before.msgsPerSec + after.msgsPerSec) / 2));
      cpuRatios.push((before.cpuMicrosPerMsg + after.cpuMicrosPerMsg) / 2 / served.cpuMicrosPerMsg);
      before = after;
    }
    results[`${key}MsgsPerSec`] = median(rates);
    results[`${key}CpuMicrosPerMsg`] = median(cpus);
    // Anchor CPU per message over ours: higher is better, like the ratios.
    results[`${key}CpuVsWsRelay`] = Math.round(median(cpuRatios) * 1000) / 1000;
    ratios[ratioKey] = Math.round(median(roundRatios) * 1000) / 1000;
  }
  for (const [kind, key] of [['raw', 'wsRelay'], ['raw-json', 'wsJsonRelay']] as const) {
    const runs = anchorRuns[kind];
    if (runs.length === 0) continue;
    const rates = runs.map((r) => r.msgsPerSec);
    results[`${key}MsgsPerSec`] = median(rates);
    results[`${key}MsgsPerSecMin`] = Math.min(...rates);
    results[`${key}MsgsPerSecMax`] = Math.max(...rates);
    results[`${key}CpuMicrosPerMsg`] = median(runs.map((r) => r.cpuMicrosPerMsg));
  }
  for (const protocol of o.idleConnections > 0 ? o.protocols : []) {
    const { held, bytesPerConnection } = await idleMemory(protocol, o.idleConnections);
    const key = protocol === 'room' ? 'room' : protocol === 'named-stream' ? 'namedStream' : 'usersList';
    results[`${key}ConnectionsHeld`] = held;
    results[`${key}BytesPerConnection`] = bytesPerConnection;
    o.log(`${protocol}: ${held} idle connections held, ${bytesPerConnection} bytes each`);
  }
  return {
    results,
    ratios: {
      vsWsRelayNamedStream: ratios['vsWsRelayNamedStream'] ?? 0,
      vsWsRelayRoom: ratios['vsWsRelayRoom'] ?? 0,
      vsWsRelayUsersList: ratios['vsWsRelayUsersList'] ?? 0,
    },
  };
}
