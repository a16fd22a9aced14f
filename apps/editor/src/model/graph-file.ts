// Import and export of graph JSON files: a readable list of problems, and as much of the graph loaded as can be.
import { formatPath, graphDocumentSchema } from '@rivulet/core';
import { jsonErrorOffset, lineColumn } from './json-position.js';
import { graphIdFromName, type EditorEdge, type EditorGraph, type EditorNode } from './graph.js';
import type { Catalogue } from './port-rules.js';

export interface ImportResult {
  /** Undefined when nothing usable could be read (not JSON, not an object). */
  readonly graph: EditorGraph | undefined;
  readonly problems: readonly string[];
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The graph as a file: stable key order, two-space indent, final newline. */
export function exportGraph(graph: EditorGraph): string {
  return `${JSON.stringify(graph, null, 2)}\n`;
}

/** ` (line 3, column 12)` where the text stops being JSON. */
function jsonErrorWhere(text: string): string {
  const offset = jsonErrorOffset(text);
  if (offset === undefined) return '';
  const { line, column } = lineColumn(text, offset);
  return ` (line ${line}, column ${column})`;
}

/** Reads a graph file. Unknown node types and broken entries are listed; everything readable is kept. */
export function importGraph(text: string, catalogue: Catalogue, fallbackId = 'imported'): ImportResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // Engines quote the text back in the message; keep its first line, short.
    const short = (message.split('\n')[0] ?? message).replace(/, ".*$/, '').slice(0, 120);
    return { graph: undefined, problems: [`not valid JSON${jsonErrorWhere(text)}: ${short}`] };
  }
  if (!isObject(raw)) return { graph: undefined, problems: ['not a graph: the file must hold a JSON object with "nodes" and "edges"'] };

  const problems: string[] = [];
  const structural = graphDocumentSchema.safeParse(raw);
  if (!structural.success) {
    for (const issue of structural.error.issues) {
      problems.push(`${formatPath(issue.path.filter((part): part is string | number => typeof part !== 'symbol')) || 'graph'}: ${issue.message}`);
    }
  }

  const nodes: EditorNode[] = [];
  const seen = new Set<string>();
  const rawNodes = Array.isArray(raw['nodes']) ? raw['nodes'] : [];
  if (raw['nodes'] !== undefined && !Array.isArray(raw['nodes'])) problems.push('nodes: must be a list; no node loaded');
  rawNodes.forEach((candidate: unknown, index) => {
    if (!isObject(candidate) || typeof candidate['id'] !== 'string' || typeof candidate['type'] !== 'string') {
      problems.push(`nodes[${index}]: needs a string "id" and "type"; skipped`);
      return;
    }
    if (seen.has(candidate['id'])) {
      problems.push(`nodes[${index}]: id "${candidate['id']}" is used twice; skipped`);
      return;
    }
    seen.add(candidate['id']);
    if (!catalogue.has(candidate['type'])) {
      problems.push(`nodes[${index}] (${candidate['id']}): unknown node type ${candidate['type']}; loaded and marked, install its plugin to run it`);
    }
    nodes.push(candidate as EditorNode);
  });

  const edges: EditorEdge[] = [];
  const rawEdges = Array.isArray(raw['edges']) ? raw['edges'] : [];
  rawEdges.forEach((candidate: unknown, index) => {
    if (!isObject(candidate) || typeof candidate['from'] !== 'string' || typeof candidate['to'] !== 'string') {
      problems.push(`edges[${index}]: needs string "from" and "to" ("node.port"); skipped`);
      return;
    }
    edges.push(candidate as EditorEdge);
  });

  const id = typeof raw['id'] === 'string' && raw['id'] ? raw['id'] : graphIdFromName(fallbackId);
  const graph: EditorGraph = { ...(raw as Partial<EditorGraph>), rivulet: 1, id, name: typeof raw['name'] === 'string' ? raw['name'] : id, nodes, edges };
  return { graph, problems: [...new Set(problems)] };
}
