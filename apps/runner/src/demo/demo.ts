// The demo graph `serve --demo` installs: copied into the graphs folder when absent, its output file kept beside it.
import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { demoGraphFile } from '../package-info.js';
import type { GraphStore } from '../server/store.js';

export const DEMO_GRAPH_ID = 'demo';

interface DemoDocument {
  nodes: { type: string; params?: Record<string, unknown> }[];
}

/** Writes the demo graph into the store unless a graph with its id is there already (the user's edits win). */
export async function installDemo(store: GraphStore): Promise<void> {
  if (await store.exists(DEMO_GRAPH_ID)) return;
  const document = JSON.parse(await readFile(demoGraphFile, 'utf8')) as DemoDocument;
  // A relative output path would land wherever the runner was started; keep it in the graphs folder.
  for (const node of document.nodes) {
    const path = node.params?.['path'];
    if (node.type === 'basics/file-out' && typeof path === 'string' && !isAbsolute(path)) node.params!['path'] = join(store.dir, path);
  }
  await store.write(DEMO_GRAPH_ID, document);
}
