// The runtime bench: a 10-map chain and a 1→8 fan-out of 64 KiB Buffers, in Rivulet, raw RxJS and embedded Node-RED.
import { cpus } from 'node:os';
import { Catalogue, Runtime, type GraphDocumentInput } from '@rivulet/core';
import basics, { compileExpression } from '@rivulet/plugin-basics';
import { map, share, type Observable } from 'rxjs';
import { benchPlugin, registerWorkload } from '../lib/bench-plugin.js';
import { startNodeRed, type EmbeddedNodeRed, type NodeRedFlowNode } from '../lib/node-red.js';
import { formatRate, round, type Bench } from '../lib/report.js';
import { median } from '../lib/stats.js';
import { Workload, type RunResult, type WorkloadEnds } from '../lib/workload.js';

const CHAIN_LENGTH = 10;
const FANOUT = 8;
const FRAME_BYTES = 64 * 1024;
/** The map every chain stage applies, in Rivulet and in raw RxJS alike. */
const CHAIN_EXPRESSION = '{ seq: msg.seq, value: msg.value + 1 }';
/** The same step as Node-RED users write it in a function node. */
const NODE_RED_MAP = 'msg.payload = { seq: msg.payload.seq, value: msg.payload.value + 1 };\nreturn msg;';
const ROUNDS = 5;
const TIMEOUT_MS = 60_000;

/** RIVULET_BENCH_SCALE=0.05 runs a quick smoke version with the same shape. */
const scale = Number(process.env['RIVULET_BENCH_SCALE'] ?? '1') || 1;
const size = (n: number) => Math.max(1000, Math.round(n * scale));
const SIZES = {
  chain: size(1_000_000),
  fanout: size(200_000),
  nodeRedChain: size(50_000),
  nodeRedFanout: size(10_000),
};

interface ChainMessage {
  readonly seq: number;
  readonly value: number;
}
interface FrameMessage {
  readonly seq: number;
  readonly data: Buffer;
}

// A few frames reused round-robin, so the bench measures passing Buffers, not allocating them.
const FRAMES: readonly Buffer[] = Array.from({ length: 16 }, (_, i) => Buffer.alloc(FRAME_BYTES, i));

const chainWorkload = (messages: number) =>
  new Workload<ChainMessage>({
    messages,
    consumers: 1,
    sampleEvery: 100,
    make: (seq) => ({ seq, value: 0 }),
    check: (message) => message.value === CHAIN_LENGTH,
    timeoutMs: TIMEOUT_MS,
  });

// The check is identity: every consumer must get the very Buffer the source sent, not a copy.
const fanoutWorkload = (messages: number) =>
  new Workload<FrameMessage>({
    messages,
    consumers: FANOUT,
    sampleEvery: 50,
    make: (seq) => ({ seq, data: FRAMES[seq % FRAMES.length]! }),
    check: (message) => message.data === FRAMES[message.seq % FRAMES.length],
    timeoutMs: TIMEOUT_MS,
  });

let runs = 0;

async function runGraph<M extends { seq: number }>(runtime: Runtime, workload: Workload<M>, build: (workloadId: string) => GraphDocumentInput): Promise<RunResult> {
  const id = `w${++runs}`;
  const forget = registerWorkload(id, workload);
  const running = await runtime.start(build(id));
  try {
    return await workload.finished(`rivulet ${running.id}`);
  } finally {
    await running.stop();
    forget();
  }
}

function rivuletChain(runtime: Runtime, messages: number): Promise<RunResult> {
  return runGraph(runtime, chainWorkload(messages), (workload) => {
    const stages = Array.from({ length: CHAIN_LENGTH }, (_, i) => ({ id: `map${i + 1}`, type: 'basics/map', params: { expression: CHAIN_EXPRESSION } }));
    const ids = ['source', ...stages.map((s) => s.id), 'sink'];
    return {
      rivulet: 1,
      id: `bench-chain-${workload}`,
      nodes: [{ id: 'source', type: 'bench/source', params: { workload } }, ...stages, { id: 'sink', type: 'bench/sink', params: { workload } }],
      edges: ids.slice(1).map((to, i) => ({ from: `${ids[i]}.out`, to: `${to}.in` })),
    };
  });
}

function rivuletFanout(runtime: Runtime, messages: number): Promise<RunResult> {
  return runGraph(runtime, fanoutWorkload(messages), (workload) => {
    const sinks = Array.from({ length: FANOUT }, (_, i) => ({ id: `sink${i + 1}`, type: 'bench/sink', params: { workload } }));
    return {
      rivulet: 1,
      id: `bench-fanout-${workload}`,
      nodes: [{ id: 'source', type: 'bench/source', params: { workload } }, ...sinks],
      edges: sinks.map((sink) => ({ from: 'source.out', to: `${sink.id}.in` })),
    };
  });
}

async function rxjsChain(messages: number): Promise<RunResult> {
  const workload = chainWorkload(messages);
  let stream: Observable<unknown> = workload.source();
  for (let i = 0; i < CHAIN_LENGTH; i++) {
    // Compiled per stage, as each map node compiles its own.
    const evaluate = compileExpression(CHAIN_EXPRESSION, { names: ['msg'] });
    stream = stream.pipe(map((msg) => evaluate({ msg })));
  }
  const subscription = stream.subscribe(workload.receive);
  try {
    return await workload.finished('rxjs chain');
  } finally {
    subscription.unsubscribe();
  }
}

async function rxjsFanout(messages: number): Promise<RunResult> {
  const workload = fanoutWorkload(messages);
  const shared = workload.source().pipe(share());
  const subscriptions = Array.from({ length: FANOUT }, () => shared.subscribe(workload.receive));
  try {
    return await workload.finished('rxjs fan-out');
  } finally {
    for (const subscription of subscriptions) subscription.unsubscribe();
  }
}

/** Both Node-RED flows: a chain of function nodes, and one function node wired to eight. */
function nodeRedFlows(): NodeRedFlowNode[] {
  // x and y make Node-RED treat them as flow nodes rather than config nodes.
  const fn = (id: string, z: string, func: string, wires: string[]) => ({ id, type: 'function', z, x: 0, y: 0, name: id, func, outputs: 1, timeout: 0, noerr: 0, initialize: '', finalize: '', libs: [], wires: [wires] });
  const sink = "global.get('benchSink')(msg.payload);\nreturn null;";
  const chain = Array.from({ length: CHAIN_LENGTH }, (_, i) => fn(`chain${i + 1}`, 'chain', NODE_RED_MAP, [i + 1 < CHAIN_LENGTH ? `chain${i + 2}` : 'chainSink']));
  const fanSinks = Array.from({ length: FANOUT }, (_, i) => fn(`fanSink${i + 1}`, 'fanout', sink, []));
  return [
    { id: 'chain', type: 'tab', label: 'chain' },
    { id: 'fanout', type: 'tab', label: 'fanout' },
    ...chain,
    fn('chainSink', 'chain', sink, []),
    fn('fanSource', 'fanout', 'return msg;', fanSinks.map((s) => s.id)),
    ...fanSinks,
  ];
}

async function nodeRedRun<M extends { seq: number }>(red: EmbeddedNodeRed, entry: string, workload: Workload<M>, target: { current: WorkloadEnds | undefined }): Promise<RunResult> {
  target.current = workload;
  const node = red.node(entry);
  await workload.feed((message) => node.receive({ payload: message }));
  return workload.finished(`node-red ${entry}`);
}

function describe(result: RunResult): string {
  return `${formatRate(result.msgsPerSec).padStart(11)} msgs/s   p50 ${result.p50Us.toFixed(1).padStart(9)} µs   p99 ${result.p99Us.toFixed(1).padStart(9)} µs   (${result.messages.toLocaleString('en-US')} msgs, ${result.seconds.toFixed(2)} s)`;
}

/** The median run by throughput, whose latency figures are reported with it. */
function pick(results: readonly RunResult[]): RunResult {
  const rate = median(results.map((r) => r.msgsPerSec));
  return results.reduce((best, r) => (Math.abs(r.msgsPerSec - rate) < Math.abs(best.msgsPerSec - rate) ? r : best));
}

function summary(result: RunResult) {
  return { msgsPerSec: Math.round(result.msgsPerSec), p50Us: round(result.p50Us, 1), p99Us: round(result.p99Us, 1), messages: result.messages };
}

export const runtimeBench: Bench = async (log) => {
  const began = Date.now();
  const runtime = new Runtime({ catalogue: new Catalogue([basics, benchPlugin]) });
  log(`runtime bench: ${cpus().length} cores, Node ${process.version}${scale !== 1 ? `, scale ${scale}` : ''}`);

  // Warm both sides up so neither pays the JIT for the other.
  await rivuletChain(runtime, SIZES.chain / 10);
  await rxjsChain(SIZES.chain / 10);
  const chain = { rivulet: [] as RunResult[], rxjs: [] as RunResult[] };
  for (let round = 0; round < ROUNDS; round++) {
    chain.rivulet.push(await rivuletChain(runtime, SIZES.chain));
    chain.rxjs.push(await rxjsChain(SIZES.chain));
  }
  log(`chain of ${CHAIN_LENGTH} maps, ${SIZES.chain.toLocaleString('en-US')} messages, median of ${ROUNDS}:`);
  log(`  rivulet  ${describe(pick(chain.rivulet))}`);
  log(`  rxjs     ${describe(pick(chain.rxjs))}`);

  await rivuletFanout(runtime, SIZES.fanout / 10);
  await rxjsFanout(SIZES.fanout / 10);
  const fanout = { rivulet: [] as RunResult[], rxjs: [] as RunResult[] };
  for (let round = 0; round < ROUNDS; round++) {
    fanout.rivulet.push(await rivuletFanout(runtime, SIZES.fanout));
    fanout.rxjs.push(await rxjsFanout(SIZES.fanout));
  }

  // Node-RED last: it starts once per process and leaves timers behind.
  const sinkTarget: { current: WorkloadEnds | undefined } = { current: undefined };
  const red = await startNodeRed(nodeRedFlows(), { benchSink: (payload: unknown) => sinkTarget.current?.receive(payload) });
  let nodeRedChain: RunResult;
  let nodeRedFanout: RunResult;
  try {
    await nodeRedRun(red, 'chain1', chainWorkload(SIZES.nodeRedChain / 10), sinkTarget);
    nodeRedChain = await nodeRedRun(red, 'chain1', chainWorkload(SIZES.nodeRedChain), sinkTarget);
    await nodeRedRun(red, 'fanSource', fanoutWorkload(SIZES.nodeRedFanout / 10), sinkTarget);
    nodeRedFanout = await nodeRedRun(red, 'fanSource', fanoutWorkload(SIZES.nodeRedFanout), sinkTarget);
  } finally {
    await red.stop();
  }
  log(`  node-red ${describe(nodeRedChain)}`);

  const rivuletFan = pick(fanout.rivulet);
  const rxjsFan = pick(fanout.rxjs);
  const shares = (r: RunResult) => r.ok === r.delivered;
  log(`fan-out 1→${FANOUT}, 64 KiB Buffers, ${SIZES.fanout.toLocaleString('en-US')} messages (Node-RED ${SIZES.nodeRedFanout.toLocaleString('en-US')}); msgs/s counts source messages, each delivered ${FANOUT}×:`);
  log(`  rivulet  ${describe(rivuletFan)}   same Buffer at all ${FANOUT} consumers: ${shares(rivuletFan) ? 'yes' : 'NO'}`);
  log(`  rxjs     ${describe(rxjsFan)}   same Buffer at all ${FANOUT} consumers: ${shares(rxjsFan) ? 'yes' : 'NO'}`);
  log(`  node-red ${describe(nodeRedFanout)}   same Buffer at all ${FANOUT} consumers: ${shares(nodeRedFanout) ? 'yes' : `no (${nodeRedFanout.delivered - nodeRedFanout.ok} of ${nodeRedFanout.delivered} deliveries got a copy)`}`);

  const rivuletChainResult = pick(chain.rivulet);
  for (const result of [...chain.rivulet, ...chain.rxjs, nodeRedChain]) {
    if (result.ok !== result.delivered) throw new Error(`chain: ${result.delivered - result.ok} messages arrived without all ${CHAIN_LENGTH} maps applied`);
  }
  for (const result of [...fanout.rivulet, ...fanout.rxjs]) {
    if (!shares(result)) throw new Error(`fan-out: ${result.delivered - result.ok} deliveries did not carry the source's Buffer`);
  }
  const ratios = {
    vsRxjsChain: round(rivuletChainResult.msgsPerSec / pick(chain.rxjs).msgsPerSec),
    vsNodeRedChain: round(rivuletChainResult.msgsPerSec / nodeRedChain.msgsPerSec),
    vsNodeRedFanout64k: round(rivuletFan.msgsPerSec / nodeRedFanout.msgsPerSec),
    vsRxjsFanout64k: round(rivuletFan.msgsPerSec / rxjsFan.msgsPerSec),
  };
  log(`ratios (Rivulet / other, higher is better): ${Object.entries(ratios).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  log(`took ${((Date.now() - began) / 1000).toFixed(1)} s`);
  return {
    bench: 'runtime',
    results: {
      cores: cpus().length,
      node: process.version,
      nodeRed: red.version,
      chain: { length: CHAIN_LENGTH, expression: CHAIN_EXPRESSION, rivulet: summary(rivuletChainResult), rxjs: summary(pick(chain.rxjs)), nodeRed: summary(nodeRedChain) },
      fanout64k: {
        consumers: FANOUT,
        frameBytes: FRAME_BYTES,
        rivulet: summary(rivuletFan),
        rxjs: summary(rxjsFan),
        nodeRed: summary(nodeRedFanout),
        sameBufferAtEveryConsumer: { rivulet: shares(rivuletFan), rxjs: shares(rxjsFan), nodeRed: shares(nodeRedFanout) },
      },
    },
    ratios,
  };
};
