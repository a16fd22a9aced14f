// `rivulet nodes`: the catalogue of installed node types, with ports and availability.
import type { PortDescriptor } from '@rivulet/core';
import { loadRunnerCatalogue } from '../catalogue.js';
import { line, type CliIo } from '../io.js';

function ports(map: Readonly<Record<string, PortDescriptor>>): string {
  const entries = Object.entries(map);
  return entries.length === 0 ? '-' : entries.map(([name, spec]) => `${name}(${spec.type})`).join(', ');
}

export async function nodesCommand(options: { json?: boolean; plugins?: string }, io: CliIo): Promise<number> {
  const catalogue = await loadRunnerCatalogue(io, options.plugins);
  const nodes = await catalogue.describe();
  if (options.json) {
    line(io.stdout, JSON.stringify({ nodes, problems: catalogue.problems }, null, 2));
    return 0;
  }
  let category = '';
  for (const node of nodes) {
    if (node.category !== category) {
      category = node.category;
      line(io.stdout, `${category}:`);
    }
    const availability = node.available ? '' : `  [unavailable: ${node.unavailableReason ?? 'unknown reason'}]`;
    line(io.stdout, `  ${node.type}  ${node.title}  in: ${ports(node.inputs)}  out: ${ports(node.outputs)}${availability}`);
  }
  line(io.stdout, `${nodes.length} node type${nodes.length === 1 ? '' : 's'} from ${catalogue.plugins.length} plugin${catalogue.plugins.length === 1 ? '' : 's'}`);
  return 0;
}
