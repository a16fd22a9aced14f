// Node-RED 4 embedded headless in this process: no HTTP, no editor, logging off, a temp userDir, flows from a file.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** A deployed Node-RED node, as far as the bench uses it. */
export interface NodeRedNode {
  receive(msg: Record<string, unknown>): void;
}

/** A flow entry in Node-RED's flows.json format. */
export type NodeRedFlowNode = Readonly<Record<string, unknown>> & { readonly id: string; readonly type: string };

interface NodeRedModule {
  init(settings: Record<string, unknown>): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  readonly nodes: { getNode(id: string): NodeRedNode | null };
  /** The runtime's getVersion(). */
  readonly version: () => string;
}

export interface EmbeddedNodeRed {
  readonly version: string;
  node(id: string): NodeRedNode;
  stop(): Promise<void>;
}

/**
 * Starts Node-RED with the given flows; `globals` are reachable from function nodes as
 * `global.get(name)` (the bench's sinks). Node-RED can only start once per process.
 */
export async function startNodeRed(flows: readonly NodeRedFlowNode[], globals: Readonly<Record<string, unknown>>): Promise<EmbeddedNodeRed> {
  const require = createRequire(import.meta.url);
  const RED = require('node-red') as NodeRedModule;
  const userDir = await mkdtemp(join(tmpdir(), 'rivulet-bench-node-red-'));
  await writeFile(join(userDir, 'flows.json'), JSON.stringify(flows));
  RED.init({
    userDir,
    flowFile: 'flows.json',
    credentialSecret: false,
    httpAdminRoot: false,
    httpNodeRoot: false,
    disableEditor: true,
    uiPort: 0,
    functionGlobalContext: globals,
    logging: { console: { level: 'off', metrics: false, audit: false } },
    telemetry: { enabled: false, updateNotification: false },
    externalModules: { autoInstall: false, palette: { allowInstall: false }, modules: { allowInstall: false } },
  });
  await RED.start();
  // Flows start after start() resolves; wait (bounded) until every node exists.
  const deadline = Date.now() + 20_000;
  for (const flowNode of flows) {
    if (flowNode.type === 'tab') continue;
    while (RED.nodes.getNode(flowNode.id) === null) {
      if (Date.now() > deadline) throw new Error(`Node-RED did not start node ${flowNode.id} within 20 s`);
      await sleep(20);
    }
  }
  return {
    // Node-RED appends -git when any parent folder is a git checkout (this monorepo is); the installed release is what we measure.
    version: RED.version().replace(/-git$/, ''),
    node(id) {
      const found = RED.nodes.getNode(id);
      if (!found) throw new Error(`Node-RED has no node ${id}`);
      return found;
    },
    async stop() {
      await RED.stop();
      await rm(userDir, { recursive: true, force: true });
    },
  };
}
